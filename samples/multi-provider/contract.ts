/** The contract of the multi-provider demo. */
import { Serializable } from '../../src/index';

@Serializable('com.acme.demo.Greeting')
export class Greeting {
  constructor(
    public message: string,
    /** Which provider process answered. */
    public servedBy: string,
    public at: Date,
  ) {}
}

export interface GreeterService {
  greet(name: string): Promise<Greeting>;
}
export const GreeterService = 'com.acme.demo.GreeterService';
