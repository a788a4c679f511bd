import { SERVICE_METADATA } from '../../../decorators/metadata-keys';
import { Service, type ServiceMetadata } from '../../../decorators/service.decorator';

describe('@Service', () => {
  it('records its options, frozen, and the file that declared the class', () => {
    @Service({ interface: 'com.acme.Greeter', version: '1.0.0', group: 'eu', weight: 50, parameters: { zone: 'a' } })
    class Greeter {
      async greet(): Promise<string> {
        return 'hi';
      }
    }
    const metadata = Reflect.getOwnMetadata(SERVICE_METADATA, Greeter) as ServiceMetadata;
    expect(metadata.options).toEqual({
      interface: 'com.acme.Greeter',
      version: '1.0.0',
      group: 'eu',
      weight: 50,
      parameters: { zone: 'a' },
    });
    expect(metadata.file).toBe(__filename);
    expect(Object.isFrozen(metadata.options)).toBe(true);
    expect(Object.isFrozen(metadata.options.parameters)).toBe(true);
  });

  it('does not keep a reference to the caller’s options object', () => {
    const options: { interface: string; version?: string } = { interface: 'com.acme.Copy' };
    @Service(options)
    class Copy {}
    options.version = 'changed later';
    expect((Reflect.getOwnMetadata(SERVICE_METADATA, Copy) as ServiceMetadata).options.version).toBeUndefined();
  });

  it('is not inherited: a subclass of a service is not a service', () => {
    @Service({ interface: 'com.acme.Parent' })
    class Parent {}
    class Child extends Parent {}
    expect(Reflect.getOwnMetadata(SERVICE_METADATA, Child)).toBeUndefined();
    expect(Reflect.getMetadata(SERVICE_METADATA, Child)).toBeDefined(); // why getOwnMetadata matters
  });
});
