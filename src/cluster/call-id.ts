import { randomBytes } from 'node:crypto';

/** The attachment carrying a call's id, the same on every retry of the call (providers may de-duplicate on it). */
export const CALL_ID_ATTACHMENT = 'courier.callId';

// 64 random bits per process + a counter: unique without coordination, cheap to make.
const PROCESS_PREFIX = randomBytes(8).toString('hex');
let counter = 0;

/** A new call id: 16 hex chars identifying this process, '-', a per-process counter in base 36. */
export function nextCallId(): string {
  counter = counter === Number.MAX_SAFE_INTEGER ? 1 : counter + 1;
  return `${PROCESS_PREFIX}-${counter.toString(36)}`;
}

/** The call id of `attachments`, set to a new one first when there is none. */
export function ensureCallId(attachments: Record<string, string>): string {
  const existing = attachments[CALL_ID_ATTACHMENT];
  if (typeof existing === 'string' && existing.length > 0) return existing;
  const id = nextCallId();
  attachments[CALL_ID_ATTACHMENT] = id;
  return id;
}
