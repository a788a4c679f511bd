import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** The built package, as a user gets it: `require('courier-rpc')` and `import ... from 'courier-rpc'`. */
describe('the courier-rpc package entry', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/esm/index.mjs'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT });
  }, 120_000);

  const publicNames = [
    'Service',
    'ServiceScan',
    'Reference',
    'Serializable',
    'bootstrap',
    'RpcServer',
    'RpcClient',
    'RpcError',
  ];

  it('works with require and ships declarations', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const c = require('courier-rpc'); console.log(${JSON.stringify(publicNames)}.map((n) => typeof c[n]).join(','))`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(out.trim()).toBe(publicNames.map(() => 'function').join(','));
    expect(existsSync(path.join(ROOT, 'dist/src/index.d.ts'))).toBe(true);
  });

  it('loads node-zookeeper-client and fast-glob only when a zookeeper:// registry or a scan needs them', () => {
    const script = `const loaded = () => Object.keys(require.cache).filter((f) => /node-zookeeper-client|fast-glob/.test(f)).length > 0;
      const c = require('courier-rpc');
      const before = loaded();
      const registry = c.createRegistry('zookeeper://127.0.0.1:1/lazy-test', { logger: c.SILENT_LOGGER });
      const after = loaded();
      registry.close().finally(() => console.log(before, after));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('false true');
  });

  it('works with import, sharing one module instance with require', () => {
    const script = `import * as esm from 'courier-rpc'; import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('courier-rpc');
      console.log(${JSON.stringify(publicNames)}.map((n) => typeof esm[n]).join(','), esm.RpcClient === cjs.RpcClient);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe(`${publicNames.map(() => 'function').join(',')} true`);
  });
});
