import * as path from 'node:path';
import { RpcError } from '../../../src/errors/rpc-error';
import { SERVICE_SCAN_METADATA } from '../../../decorators/metadata-keys';
import {
  DEFAULT_SCAN_PATTERNS,
  ServiceScan,
  type ServiceScanMetadata,
} from '../../../decorators/service-scan.decorator';
import { TreeApp } from '../../fixtures/scan/tree/app';

const read = (target: Function) => Reflect.getOwnMetadata(SERVICE_SCAN_METADATA, target) as ServiceScanMetadata;

describe('@ServiceScan', () => {
  it('with no argument scans every .ts/.js under the folder of the file declaring the class', () => {
    const metadata = read(TreeApp);
    const tree = path.resolve(__dirname, '../../fixtures/scan/tree');
    expect(metadata).toEqual({ patterns: DEFAULT_SCAN_PATTERNS, root: tree, entryFile: path.join(tree, 'app.ts') });
  });

  it('finds the declaring file from the call stack even when declared in a test file', () => {
    @ServiceScan()
    class LocalApp {}
    expect(read(LocalApp)).toMatchObject({ root: __dirname, entryFile: __filename });
  });

  it('accepts one pattern or many, relative to the entry folder', () => {
    @ServiceScan('services/**/*.service.js')
    class One {}
    @ServiceScan(['a/**/*.ts', 'b/**/*.ts'])
    class Many {}
    expect(read(One).patterns).toEqual(['services/**/*.service.js']);
    expect(read(Many)).toMatchObject({ patterns: ['a/**/*.ts', 'b/**/*.ts'], root: __dirname });
  });

  it('resolves a relative cwd against the entry folder and keeps an absolute one', () => {
    @ServiceScan(undefined, { cwd: '../fixtures' })
    class Relative {}
    @ServiceScan('**/*.js', { cwd: '/srv/app/dist' })
    class Absolute {}
    expect(read(Relative).root).toBe(path.resolve(__dirname, '../fixtures'));
    expect(read(Absolute).root).toBe('/srv/app/dist');
  });

  it('refuses empty patterns', () => {
    expect(() => ServiceScan([])(class Empty {})).toThrow(RpcError);
    expect(() => ServiceScan('')(class Blank {})).toThrow(/non-empty strings/);
  });
});
