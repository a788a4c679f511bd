import { DEFAULT_REFERENCE_OPTIONS, resolveMethodOptions } from '../../../src/rpc/reference-options';

describe('resolveMethodOptions', () => {
  it('uses the defaults when nothing is set', () => {
    expect(resolveMethodOptions({}, 'getUser')).toEqual({
      timeout: 3000,
      retries: 2,
      loadbalance: 'random',
      hashArguments: [0],
      idempotent: false,
      oneWay: false,
    });
  });

  it('hands out a copy of the default hashArguments, never the shared constant', () => {
    const resolved = resolveMethodOptions({}, 'getUser');
    resolved.hashArguments.push(1);
    expect(DEFAULT_REFERENCE_OPTIONS.hashArguments).toEqual([0]);
    expect(resolveMethodOptions({}, 'getUser').hashArguments).toEqual([0]);
  });

  it('applies reference-level options to every method', () => {
    const options = { timeout: 500, retries: 0, loadbalance: 'roundrobin', hashArguments: [1, 2] };
    for (const method of ['getUser', 'saveUser']) {
      expect(resolveMethodOptions(options, method)).toMatchObject(options);
    }
  });

  it('lets a per-method option override the reference’s, for that method only', () => {
    const options = {
      timeout: 500,
      retries: 1,
      loadbalance: 'roundrobin',
      methods: { report: { timeout: 30_000, retries: 0, loadbalance: 'leastactive', hashArguments: [1] } },
    };
    expect(resolveMethodOptions(options, 'report')).toMatchObject({
      timeout: 30_000,
      retries: 0,
      loadbalance: 'leastactive',
      hashArguments: [1],
    });
    expect(resolveMethodOptions(options, 'getUser')).toMatchObject({ timeout: 500, retries: 1, hashArguments: [0] });
  });

  it('keeps the reference’s value for what a per-method entry leaves out', () => {
    const options = { timeout: 500, retries: 4, methods: { report: { timeout: 9000 } } };
    expect(resolveMethodOptions(options, 'report')).toMatchObject({ timeout: 9000, retries: 4 });
  });

  it('takes a per-method retries of 0 as set, not as missing', () => {
    const resolved = resolveMethodOptions({ retries: 3, methods: { pay: { retries: 0 } } }, 'pay');
    expect(resolved.retries).toBe(0);
  });

  describe('idempotent', () => {
    it('true marks every method', () => {
      expect(resolveMethodOptions({ idempotent: true }, 'getUser').idempotent).toBe(true);
      expect(resolveMethodOptions({ idempotent: true }, 'anything').idempotent).toBe(true);
    });

    it('a list marks only the methods it names', () => {
      const options = { idempotent: ['getUser', 'findUsers'] };
      expect(resolveMethodOptions(options, 'getUser').idempotent).toBe(true);
      expect(resolveMethodOptions(options, 'findUsers').idempotent).toBe(true);
      expect(resolveMethodOptions(options, 'saveUser').idempotent).toBe(false);
    });

    it('a per-method setting wins over the reference’s, either way', () => {
      const options = {
        idempotent: true,
        methods: { pay: { idempotent: false } },
      };
      expect(resolveMethodOptions(options, 'pay').idempotent).toBe(false);
      expect(resolveMethodOptions(options, 'getUser').idempotent).toBe(true);
      expect(resolveMethodOptions({ idempotent: ['a'], methods: { b: { idempotent: true } } }, 'b').idempotent).toBe(
        true,
      );
    });
  });

  describe('oneWay', () => {
    it('the reference’s list marks only the methods it names', () => {
      const options = { oneWay: ['log', 'track'] };
      expect(resolveMethodOptions(options, 'log').oneWay).toBe(true);
      expect(resolveMethodOptions(options, 'track').oneWay).toBe(true);
      expect(resolveMethodOptions(options, 'getUser').oneWay).toBe(false);
    });

    it('a per-method setting wins over the list', () => {
      const options = { oneWay: ['log'], methods: { log: { oneWay: false }, audit: { oneWay: true } } };
      expect(resolveMethodOptions(options, 'log').oneWay).toBe(false);
      expect(resolveMethodOptions(options, 'audit').oneWay).toBe(true);
    });
  });
});
