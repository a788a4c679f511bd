import { CALL_ID_ATTACHMENT, ensureCallId, nextCallId } from '../../../src/cluster/call-id';

describe('call ids', () => {
  it('are 16 hex chars of process identity plus a counter, unique', () => {
    const ids = Array.from({ length: 1000 }, nextCallId);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(new Set(ids.map((id) => id.slice(0, 16))).size).toBe(1);
  });

  it('are set once per call under courier.callId and kept across retries', () => {
    const attachments: Record<string, string> = { traceId: 't' };
    const id = ensureCallId(attachments);
    expect(attachments[CALL_ID_ATTACHMENT]).toBe(id);
    expect(ensureCallId(attachments)).toBe(id);
    expect(ensureCallId({ [CALL_ID_ATTACHMENT]: 'user-chosen' })).toBe('user-chosen');
    expect(CALL_ID_ATTACHMENT).toBe('courier.callId');
  });
});
