import { CONSUMER_ID, formatCallId, nextCallId } from '../../../src/cluster/call-id';

describe('call ids', () => {
  it('are uint32 numbers from a per-process counter, never 0, unique', () => {
    const ids = Array.from({ length: 1000 }, nextCallId);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThanOrEqual(1);
      expect(id).toBeLessThanOrEqual(0xffffffff);
    }
    // a counter: each id follows the previous one
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
  });

  it('fit the request prefix: a uint32 written and read back unchanged', () => {
    const id = nextCallId();
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(id, 0);
    expect(prefix.readUInt32BE(0)).toBe(id);
  });

  it('belong to a consumer id of 16 hex chars, drawn anew by each process (module instance)', () => {
    expect(CONSUMER_ID).toMatch(/^[0-9a-f]{16}$/);
    let other: string | undefined;
    jest.isolateModules(() => {
      other = (require('../../../src/cluster/call-id') as typeof import('../../../src/cluster/call-id')).CONSUMER_ID;
    });
    expect(other).toMatch(/^[0-9a-f]{16}$/);
    expect(other).not.toBe(CONSUMER_ID);
  });

  it('read <consumer id>-<counter in base 36> in text', () => {
    expect(formatCallId('0123456789abcdef', 1)).toBe('0123456789abcdef-1');
    expect(formatCallId('0123456789abcdef', 35)).toBe('0123456789abcdef-z');
    expect(formatCallId('0123456789abcdef', 36)).toBe('0123456789abcdef-10');
    expect(formatCallId('0123456789abcdef', 0xffffffff)).toBe('0123456789abcdef-1z141z3');
    const texts = Array.from({ length: 100 }, () => formatCallId(CONSUMER_ID, nextCallId()));
    for (const text of texts) expect(text).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(new Set(texts).size).toBe(100);
    // the same number from two consumers is two different calls
    expect(formatCallId('0123456789abcdef', 7)).not.toBe(formatCallId('fedcba9876543210', 7));
  });
});
