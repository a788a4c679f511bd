import * as os from 'node:os';
import { DEFAULT_ZOOKEEPER_OPTIONS, maskAuth, parseZookeeperUrl } from '../../../registry/zookeeper-url';

describe('parseZookeeperUrl', () => {
  it('applies the defaults to a single host', () => {
    const config = parseZookeeperUrl('zookeeper://127.0.0.1:2181');
    expect(config).toMatchObject({
      connectString: '127.0.0.1:2181',
      servers: ['127.0.0.1:2181'],
      chroot: '',
      ...DEFAULT_ZOOKEEPER_OPTIONS,
    });
    expect(config.cacheFile.startsWith(os.tmpdir())).toBe(true);
    expect(config.auth).toBeUndefined();
  });

  it('reads an ensemble, a chroot and every query option', () => {
    const config = parseZookeeperUrl(
      'zookeeper://h1:2181,h2,h3:2182/apps/shop?root=/dubbo&sessionTimeout=6000&reconcileInterval=500' +
        '&operationTimeout=700&connectWait=800&emptyListGrace=900&spinDelay=100&cacheFile=/tmp/x.json&auth=u:p',
    );
    expect(config).toMatchObject({
      connectString: 'h1:2181,h2:2181,h3:2182/apps/shop',
      servers: ['h1:2181', 'h2:2181', 'h3:2182'],
      chroot: '/apps/shop',
      root: '/dubbo',
      sessionTimeout: 6000,
      reconcileInterval: 500,
      operationTimeout: 700,
      connectWait: 800,
      emptyListGrace: 900,
      spinDelay: 100,
      cacheFile: '/tmp/x.json',
      auth: 'u:p',
      displayUrl: expect.stringContaining('auth=u:***'),
    });
  });

  it('lets explicit options win over the URL', () => {
    const config = parseZookeeperUrl('zookeeper://h/?root=/a&sessionTimeout=1000', {
      root: 'b/',
      sessionTimeout: 2000,
    });
    expect(config).toMatchObject({ root: '/b', sessionTimeout: 2000 });
  });

  it('treats "/" as no chroot and normalizes trailing slashes', () => {
    expect(parseZookeeperUrl('zookeeper://h:1/?root=/courier/').chroot).toBe('');
    expect(parseZookeeperUrl('zookeeper://h:1/?root=/courier/').root).toBe('/courier');
    expect(parseZookeeperUrl('zookeeper://h:1/x/').chroot).toBe('/x');
  });

  it.each([
    'http://h:2181',
    'zookeeper://',
    'zookeeper://h/?sessionTimeout=soon',
    'zookeeper://h/?root=/',
    'zookeeper://h/?root=/a//b',
    'zookeeper://h/a/../b',
    'zookeeper://h/?auth=nopassword',
  ])('rejects %s with CONFIG_ERROR', (url) => {
    expect(() => parseZookeeperUrl(url)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it('masks the password in URLs meant for logs', () => {
    expect(maskAuth('zookeeper://h/?auth=admin:secret&root=/x')).toBe('zookeeper://h/?auth=admin:***&root=/x');
  });
});
