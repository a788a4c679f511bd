'use strict';
/**
 * The ceiling: the least an RPC over TCP can do on this machine.
 *
 * Frame: u32 length (of what follows) | u32 request id | u8 method (request) or status (response) | msgpack body.
 * Bodies are msgpackr in plain mode (useRecords: false); a request body is the argument array.
 * Nagle is off; the first frame of a tick is written at once and the rest of the tick's frames are coalesced into
 * one write at process.nextTick (DESIGN §7: wins at both 16 and 128 in flight).
 */
const net = require('node:net');
const { Packr } = require('msgpackr');

const METHODS = ['add', 'echo', 'bytes'];
const METHOD_ID = { add: 0, echo: 1, bytes: 2 };
const HEADER = 9;
const MAX_FRAME = 16 * 1024 * 1024;
const BIG_BATCH = 64 * 1024;

const packr = new Packr({ useRecords: false });

function header(id, code, bodyLength) {
  const h = Buffer.allocUnsafe(HEADER);
  h.writeUInt32BE(5 + bodyLength, 0);
  h.writeUInt32BE(id, 4);
  h[8] = code;
  return h;
}

/** Writes the first frame of a tick at once, batches the rest into one write. */
class TickWriter {
  constructor(socket) {
    this.socket = socket;
    this.queue = [];
    this.queued = 0;
    this.scheduled = false;
    this.flush = () => {
      this.scheduled = false;
      const q = this.queue;
      if (q.length === 0) return;
      this.queue = [];
      const bytes = this.queued;
      this.queued = 0;
      if (bytes <= BIG_BATCH) {
        this.socket.write(Buffer.concat(q, bytes));
      } else {
        this.socket.cork(); // one writev, no copy of large payloads
        for (const b of q) this.socket.write(b);
        this.socket.uncork();
      }
    };
  }

  /** One frame = header + body; copied once (into the write or into the tick's batch). */
  writeFrame(id, code, body) {
    const h = header(id, code, body.length);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
      if (body.length <= BIG_BATCH) {
        this.socket.write(Buffer.concat([h, body], HEADER + body.length));
      } else {
        this.socket.cork();
        this.socket.write(h);
        this.socket.write(body);
        this.socket.uncork();
      }
    } else {
      this.queue.push(h, body);
      this.queued += HEADER + body.length;
    }
  }
}

/** Incremental length-prefixed decoder; calls onFrame(buf, start, end) with `start` at the request id. */
function decoder(onFrame, onError) {
  let chunks = [];
  let have = 0;
  let need = 0;
  return (chunk) => {
    if (have > 0) {
      chunks.push(chunk);
      have += chunk.length;
      if (have < need) return;
      chunk = Buffer.concat(chunks, have);
      chunks = [];
      have = 0;
    }
    let off = 0;
    const n = chunk.length;
    while (n - off >= 4) {
      const len = chunk.readUInt32BE(off);
      if (len < 5 || len > MAX_FRAME) return onError(new Error(`bad frame length ${len}`));
      if (n - off - 4 < len) break;
      onFrame(chunk, off + 4, off + 4 + len);
      off += 4 + len;
    }
    if (off < n) {
      const rest = chunk.subarray(off);
      chunks = [rest];
      have = rest.length;
      need = have >= 4 ? 4 + rest.readUInt32BE(0) : 4;
    }
  };
}

async function startServer({ impl }) {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const writer = new TickWriter(socket);
    const reply = (id, status, value) => writer.writeFrame(id, status, packr.pack(value));
    socket.on(
      'data',
      decoder(
        (buf, start, end) => {
          const id = buf.readUInt32BE(start);
          const method = METHODS[buf[start + 4]];
          let result;
          try {
            const args = packr.unpack(buf.subarray(start + 5, end));
            result = impl[method](...args);
          } catch (err) {
            return reply(id, 1, String(err && err.message));
          }
          if (result && typeof result.then === 'function') {
            result.then(
              (v) => reply(id, 0, v),
              (err) => reply(id, 1, String(err && err.message)),
            );
          } else {
            reply(id, 0, result);
          }
        },
        () => socket.destroy(),
      ),
    );
    socket.on('error', () => socket.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function createClient({ ports }) {
  const socket = net.connect({ host: '127.0.0.1', port: ports[0], noDelay: true });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  const writer = new TickWriter(socket);
  const pending = new Map();
  let nextId = 1;
  const failAll = (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  socket.on(
    'data',
    decoder(
      (buf, start, end) => {
        const id = buf.readUInt32BE(start);
        const p = pending.get(id);
        if (p === undefined) return;
        pending.delete(id);
        const value = packr.unpack(buf.subarray(start + 5, end));
        if (buf[start + 4] === 0) p.resolve(value);
        else p.reject(new Error(value));
      },
      (err) => {
        failAll(err);
        socket.destroy();
      },
    ),
  );
  socket.on('error', failAll);
  socket.on('close', () => failAll(new Error('connection closed')));

  const call = (method, args) =>
    new Promise((resolve, reject) => {
      const id = nextId;
      nextId = nextId === 0xffffffff ? 1 : nextId + 1;
      pending.set(id, { resolve, reject });
      writer.writeFrame(id, method, packr.pack(args));
    });

  return {
    api: {
      add: (a, b) => call(METHOD_ID.add, [a, b]),
      echo: (obj) => call(METHOD_ID.echo, [obj]),
      bytes: (data) => call(METHOD_ID.bytes, [data]),
    },
    close: async () => {
      socket.end();
      socket.destroy();
    },
  };
}

module.exports = { name: 'raw', binary: true, startServer, createClient };
