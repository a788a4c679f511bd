import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOGGER } from '../../../src/common/logger';
import { acquireProviderCache, releaseProviderCache } from '../../../registry/provider-cache';

describe('ProviderCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'courier-cache-test-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes lists atomically and reads them back in a later life', async () => {
    const file = path.join(dir, 'nested', 'cache.json');
    const cache = acquireProviderCache(file, SILENT_LOGGER);
    await cache.save('/courier/A', ['courier://h:1/A']);
    await cache.save('/courier/B', ['courier://h:2/B']);
    await releaseProviderCache(cache);
    expect(await fs.readdir(path.dirname(file))).toEqual(['cache.json']); // no temp file left

    const later = acquireProviderCache(file, SILENT_LOGGER);
    expect(later).not.toBe(cache);
    expect(await later.get('/courier/A')).toMatchObject({ urls: ['courier://h:1/A'] });
    expect(await later.get('/courier/B')).toMatchObject({ urls: ['courier://h:2/B'] });
    expect(await later.get('/courier/C')).toBeUndefined();
    await releaseProviderCache(later);
  });

  it('is shared per file within a process', async () => {
    const file = path.join(dir, 'c.json');
    const a = acquireProviderCache(file, SILENT_LOGGER);
    const b = acquireProviderCache(path.join(dir, '.', 'c.json'), SILENT_LOGGER);
    expect(a).toBe(b);
    await releaseProviderCache(a);
    await releaseProviderCache(b);
  });

  it('treats a corrupt file as empty', async () => {
    const file = path.join(dir, 'bad.json');
    await fs.writeFile(file, '{ not json');
    const warn = jest.fn();
    const cache = acquireProviderCache(file, { ...SILENT_LOGGER, warn });
    expect(await cache.get('/courier/A')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('corrupt'), expect.anything());
    await releaseProviderCache(cache);
  });
});
