'use strict';
/** The three workloads every system runs, and the one implementation every server exports. */

const BYTES_SIZE = 64 * 1024;

/** A ~1 KiB object (JSON size printed by `node bench/lib/workloads.cjs`): scalars, a tags array, nested fields, a Date. */
function makeObject() {
  return {
    id: 918273,
    name: 'Ada Lovelace',
    email: 'ada.lovelace@example.org',
    active: true,
    balance: 1234.56,
    createdAt: new Date(Date.UTC(2024, 5, 10, 12, 30, 45, 123)),
    tags: ['analytical-engine', 'mathematics', 'poetry', 'bernoulli', 'notes', 'london', 'pioneer', 'algorithms'],
    address: { street: '12 St James Square', city: 'London', zip: 'SW1Y 4JH', country: 'GB' },
    preferences: { theme: 'dark', language: 'en-GB', notifications: true, pageSize: 50 },
    scores: [98, 87, 91, 78, 99, 85, 92, 88, 94, 90],
    history: [
      { action: 'created', by: 'system', version: 1 },
      { action: 'renamed', by: 'charles.babbage', version: 2 },
      { action: 'verified', by: 'mary.somerville', version: 3 },
    ],
    bio:
      'Augusta Ada King, Countess of Lovelace, was an English mathematician and writer, chiefly known for her work ' +
      "on Charles Babbage's proposed mechanical general-purpose computer, the Analytical Engine. She was the first " +
      'to recognise that the machine had applications beyond pure calculation, and to publish an algorithm intended ' +
      'to be carried out by such a machine.',
  };
}

/** 64 KiB of bytes as a Buffer (binary-capable systems) and as an ASCII string of the same length (JSON-only ones). */
function makeBytes() {
  const buf = Buffer.allocUnsafe(BYTES_SIZE);
  for (let i = 0; i < BYTES_SIZE; i++) buf[i] = 97 + (i % 26);
  return buf;
}

/** The service every system exposes; plain synchronous methods so no system pays for an extra promise it did not ask for. */
const impl = {
  add(a, b) {
    return a + b;
  },
  echo(obj) {
    return obj;
  },
  bytes(data) {
    return data;
  },
};

const WORKLOADS = {
  add: { label: 'add(a, b)', payloadBytes: 0 },
  obj: { label: 'echo 1 KiB object', payloadBytes: 0 },
  bytes: { label: 'echo 64 KiB', payloadBytes: BYTES_SIZE },
};

module.exports = { makeObject, makeBytes, impl, WORKLOADS, BYTES_SIZE };

if (require.main === module) {
  const o = makeObject();
  console.log('1 KiB object: JSON', Buffer.byteLength(JSON.stringify(o)), 'bytes');
  try {
    const { Packr } = require('msgpackr');
    console.log('msgpack (plain):', new Packr({ useRecords: false }).pack(o).length, 'bytes');
  } catch {
    /* msgpackr missing: only the JSON size */
  }
}
