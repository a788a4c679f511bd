import { randomBytes } from 'node:crypto';

/**
 * A call id: this process's consumer id (64 random bits, sent once per connection in its call declarations) and a
 * per-process counter (a uint32 sent in every request). It is the same on every retry of a call, so providers may
 * de-duplicate on it; in text it reads `<16 hex>-<counter in base 36>`.
 */
export const CONSUMER_ID = randomBytes(8).toString('hex');

const MAX_CALL_ID = 0xffffffff;
let counter = 0;

/** The next call number: 1..2^32-1, wrapping (0 means "no call id" on the wire). */
export function nextCallId(): number {
  counter = counter >= MAX_CALL_ID ? 1 : counter + 1;
  return counter;
}

/** The text form of a call id, as providers key their de-duplication memory. */
export function formatCallId(consumerId: string, callId: number): string {
  return `${consumerId}-${callId.toString(36)}`;
}
