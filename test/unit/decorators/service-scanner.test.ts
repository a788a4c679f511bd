import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/logger';
import { RpcError } from '../../../src/errors/rpc-error';
import { scanApplication, scanServices } from '../../../decorators/service-scanner';
import { TreeApp } from '../../fixtures/scan/tree/app';

const SCAN = path.resolve(__dirname, '../../fixtures/scan');
const DECORATORS = path.resolve(__dirname, '../../../decorators');
const ALL = ['**/*.{ts,js}'];

function scanError(run: () => unknown): RpcError {
  try {
    run();
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error('expected the scan to fail');
}

function recordingLogger(): Logger & { infos: string[] } {
  const infos: string[] = [];
  return { infos, debug() {}, info: (message: string) => void infos.push(message), warn() {}, error() {} };
}

describe('scanApplication', () => {
  it('loads the tree below the entry file: nested folders, .ts and compiled .js, one of each twin', () => {
    const result = scanApplication(TreeApp);
    const tree = path.join(SCAN, 'tree');
    expect(result.root).toBe(tree);
    expect(result.files.map((file) => path.relative(tree, file))).toEqual([
      'compiled/clock.service.js',
      'contracts/calculator.contract.ts',
      'greeter.service.ts',
      'helpers.ts',
      'nested/deep/calculator.service.ts',
      'twin.service.ts',
    ]);
    expect(result.services.map((s) => [s.key, s.className])).toEqual([
      ['/fixtures.Clock:', 'ClockService'],
      ['/fixtures.Greeter:1.0.0', 'GreeterService'],
      ['math/fixtures.Calculator:', 'CalculatorService'],
      ['/fixtures.Twin:', 'TwinService'],
    ]);
  });

  it('interprets each service: inferred contract, idempotent methods, file', () => {
    const calculator = scanApplication(TreeApp).services.find((s) => s.className === 'CalculatorService');
    expect(calculator).toMatchObject({
      interface: 'fixtures.Calculator',
      methods: ['add', 'reset'],
      idempotentMethods: ['add'],
      file: path.join(SCAN, 'tree/nested/deep/calculator.service.ts'),
    });
  });

  it('fails when the class has no @ServiceScan', () => {
    expect(scanError(() => scanApplication(class NotAnApp {})).message).toMatch(/NotAnApp is not decorated/);
  });
});

describe('scanServices', () => {
  it('under plain node skips .ts files with a notice and loads the compiled .js', () => {
    const logger = recordingLogger();
    const result = scanServices({ root: path.join(SCAN, 'tree'), patterns: ALL, typescript: false, logger });
    expect(result.services.map((s) => s.file && path.basename(s.file))).toEqual([
      'clock.service.js',
      'twin.service.js',
    ]);
    expect(result.skipped.length).toBe(5);
    expect(logger.infos[0]).toMatch(/Skipped 5 \.ts file\(s\) .* no TypeScript loader/);
  });

  it('names both files when two classes claim the same group/interface:version', () => {
    const error = scanError(() => scanServices({ root: path.join(SCAN, 'duplicate'), patterns: ALL }));
    expect(error.code).toBe('SCAN_ERROR');
    expect(error.message).toContain('/fixtures.Dup:1');
    expect(error.message).toContain(path.join(SCAN, 'duplicate/a.service.ts'));
    expect(error.message).toContain(path.join(SCAN, 'duplicate/b/again.service.ts'));
  });

  it('names the file that fails to import and the cause', () => {
    const error = scanError(() => scanServices({ root: path.join(SCAN, 'broken'), patterns: ALL }));
    expect(error.code).toBe('SCAN_ERROR');
    expect(error.message).toContain(`cannot load ${path.join(SCAN, 'broken/b-throws.ts')}`);
    expect(error.message).toContain('boom while importing');
    expect((error.cause as Error).message).toBe('boom while importing');
  });

  it('says where it looked and with which patterns when nothing matches', () => {
    const error = scanError(() => scanServices({ root: path.join(SCAN, 'empty'), patterns: ALL }));
    expect(error.code).toBe('SCAN_ERROR');
    expect(error.message).toBe(
      `No @Service class found under ${path.join(SCAN, 'empty')} with patterns ["**/*.{ts,js}"]: ` +
        '0 file(s) matched, 0 loaded, 0 .ts skipped',
    );
  });

  it('fails when files load but none declares a service', () => {
    const error = scanError(() => scanServices({ root: path.join(SCAN, 'plain-only'), patterns: ALL }));
    expect(error.message).toMatch(/1 file\(s\) matched, 1 loaded/);
  });

  it('reports a service without contract by class and file', () => {
    const error = scanError(() => scanServices({ root: path.join(SCAN, 'no-contract'), patterns: ALL }));
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain(
      `OrphanService (${path.join(SCAN, 'no-contract/orphan.service.ts')}) names no contract`,
    );
  });

  describe('on a generated tree of compiled .js', () => {
    let root: string;

    beforeAll(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'courier-scan-'));
      const service = (name: string) =>
        `const { Service } = require(${JSON.stringify(path.join(DECORATORS, 'service.decorator'))});\n` +
        `class ${name} { async run() { return '${name}'; } }\n` +
        `Service({ interface: 'gen.${name}' })(${name});\n` +
        `exports.${name} = ${name};\n`;
      fs.mkdirSync(path.join(root, 'b'));
      fs.mkdirSync(path.join(root, 'node_modules/dep'), { recursive: true });
      fs.writeFileSync(path.join(root, 'b/beta.js'), service('Beta'));
      fs.writeFileSync(path.join(root, 'alpha.js'), service('Alpha'));
      fs.writeFileSync(
        path.join(root, 'index.js'),
        `module.exports = { ...require('./alpha'), ...require('./b/beta') };\n`,
      );
      fs.writeFileSync(path.join(root, 'default.js'), `module.exports = require('./alpha').Alpha;\n`);
      fs.writeFileSync(
        path.join(root, 'node_modules/dep/index.js'),
        `throw new Error('node_modules is never scanned');\n`,
      );
      fs.writeFileSync(path.join(root, 'data.json'), '{}');
    });

    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('never enters node_modules and counts a re-exported class once', () => {
      const result = scanServices({ root, patterns: ['**/*'] });
      expect(result.files.map((file) => path.relative(root, file))).toEqual([
        'alpha.js',
        'b/beta.js',
        'default.js',
        'index.js',
      ]);
      expect(result.services.map((s) => s.interface)).toEqual(['gen.Alpha', 'gen.Beta']);
    });
  });
});
