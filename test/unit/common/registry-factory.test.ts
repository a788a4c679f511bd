import type { Registry } from '../../../src/common/registry';
import { createRegistry, registerRegistryType } from '../../../src/common/registry-factory';

describe('createRegistry', () => {
  it('picks the factory by URL scheme, case-insensitively, and passes the options on', () => {
    const made: Array<[string, unknown]> = [];
    registerRegistryType('unit-test', (url, options) => {
      made.push([url, options.application]);
      return { url } as Registry;
    });
    expect(createRegistry('UNIT-TEST://somewhere', { application: 'app' }).url).toBe('UNIT-TEST://somewhere');
    expect(made).toEqual([['UNIT-TEST://somewhere', 'app']]);
  });

  it('refuses an unknown scheme or a string that is no URL, naming the known schemes', () => {
    expect(() => createRegistry('etcd://127.0.0.1:2379')).toThrow(/Unknown registry URL 'etcd:\/\/127.0.0.1:2379'/);
    expect(() => createRegistry('127.0.0.1:2181')).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
