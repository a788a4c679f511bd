import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { startTsChild, stopAllChildren } from '../../support/child-process';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

/** Runs a sample to completion under tsx and returns what it printed. */
async function runSample(file: string, args: string[] = []): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], {
      cwd: ROOT,
      env: { ...process.env, COURIER_LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

describe('the samples a newcomer runs first', () => {
  afterAll(stopAllChildren);

  it('hello: a decorated provider and a @Reference consumer, a User class, Dates and errors', async () => {
    const provider = await startTsChild(path.join(ROOT, 'samples/hello/provider.ts'), ['0']);
    const out = await runSample('samples/hello/consumer.ts', [String(provider.ready['port'])]);
    expect(out).toContain('Hello, Ada Lovelace! (a User, 184 in 2000)');
    expect(out).toContain('renamed: A. M. Turing, born 1912-06-23 (Date: true)');
    expect(out).toContain('caught UserNotFound for user 99');
    expect(out).toContain('caught RpcError METHOD_NOT_FOUND');
    provider.kill('SIGTERM');
    await expect(provider.exited).resolves.toBe('SIGTERM'); // stopped by its own handler, then re-raised
  }, 60_000);

  it('multi-provider: three providers over real ZooKeeper, one stopped, no call fails', async () => {
    const out = await runSample('samples/multi-provider/run-demo.ts');
    expect(out).toMatch(
      /30 calls over three providers \(round robin\) → provider-a: 10, provider-b: 10, provider-c: 10/,
    );
    expect(out).toMatch(/30 calls after the stop → provider-a: \d+, provider-c: \d+\n/);
    expect(out).toContain('No call failed.');
  }, 60_000);

  it('kv-store: consistent hashing keeps every key on its shard', async () => {
    const out = await runSample('samples/kv-store/run.ts');
    expect(out).toContain('300/300 read back from the shard that holds them');
    expect(out).toMatch(/shard-a=\d+, shard-b=\d+, shard-c=\d+/);
  }, 60_000);
});
