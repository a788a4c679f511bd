/**
 * The hello consumer: a @Reference property, providers named directly (no registry needed).
 * Run: npx tsx samples/hello/consumer.ts [port]
 */
import { Reference, RpcError, bootstrap } from '../../src/index';
import { User, UserNotFound, UserService } from './contract';

const port = Number(process.argv[2] ?? 20880);

class Greeter {
  @Reference(UserService, { url: `courier://127.0.0.1:${port}`, version: '1.0.0', timeout: 2000 })
  users!: UserService;

  async greet(id: number): Promise<string> {
    const user = await this.users.getUser(id);
    return `Hello, ${user.name}! (a ${user.constructor.name}, ${user.ageOn(new Date('2000-01-01T00:00:00Z'))} in 2000)`;
  }
}

class HelloConsumer {}

async function main(): Promise<void> {
  const app = await bootstrap(HelloConsumer);
  try {
    const greeter = new Greeter();
    console.log(await greeter.greet(1));
    const renamed = await greeter.users.rename(
      new User(2, 'Alan Turing', new Date('1912-06-23T00:00:00Z')),
      'A. M. Turing',
    );
    console.log(
      `renamed: ${renamed.name}, born ${renamed.born.toISOString().slice(0, 10)} (Date: ${renamed.born instanceof Date})`,
    );
    try {
      await greeter.users.getUser(99);
    } catch (error) {
      if (error instanceof UserNotFound) console.log(`caught ${error.name} for user ${error.userId}`);
      else throw error;
    }
    try {
      await (greeter.users as unknown as { deleteEverything(): Promise<void> }).deleteEverything();
    } catch (error) {
      if (error instanceof RpcError) console.log(`caught RpcError ${error.code}: ${error.message}`);
      else throw error;
    }
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
