import { Service } from '../../../src/index';
import { Greeting, GreeterService } from '../contract';

@Service({ interface: GreeterService, version: '1.0.0' })
export class GreeterServiceImpl implements GreeterService {
  private readonly name = process.env['PROVIDER_NAME'] ?? `provider-${process.pid}`;

  async greet(name: string): Promise<Greeting> {
    return new Greeting(`Hello, ${name}`, this.name, new Date());
  }
}
