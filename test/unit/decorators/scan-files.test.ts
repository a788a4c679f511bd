import * as path from 'node:path';
import { findScanFiles } from '../../../decorators/scan-files';

const TREE = path.resolve(__dirname, '../../fixtures/scan/tree');
const rel = (files: string[]) => files.map((file) => path.relative(TREE, file));

describe('findScanFiles', () => {
  it('returns .ts/.js files sorted, never test files, __tests__ or .d.ts', () => {
    const files = findScanFiles({ root: TREE, patterns: ['**/*.{ts,js}'], preferTypeScript: true });
    expect(rel(files)).toEqual([
      'app.ts',
      'compiled/clock.service.js',
      'contracts/calculator.contract.ts',
      'greeter.service.ts',
      'helpers.ts',
      'nested/deep/calculator.service.ts',
      'twin.service.ts',
    ]);
  });

  it('of a .ts and its compiled .js twin keeps the .js when TypeScript cannot be loaded', () => {
    const files = findScanFiles({ root: TREE, patterns: ['*.service.*'], preferTypeScript: false });
    expect(rel(files)).toEqual(['greeter.service.ts', 'twin.service.js']);
  });

  it('leaves out excluded files (the entry file)', () => {
    const files = findScanFiles({
      root: TREE,
      patterns: ['*.ts'],
      preferTypeScript: true,
      exclude: [path.join(TREE, 'app.ts')],
    });
    expect(rel(files)).toEqual(['greeter.service.ts', 'helpers.ts', 'twin.service.ts']);
  });
});
