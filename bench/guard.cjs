'use strict';
/**
 * Preloaded into every bench process (`node -r ./bench/guard.cjs`): keeps the benchmarks on loopback and makes
 * sure no bench process outlives the run.
 *
 * - net.Server#listen (and so http, http2, grpc-js, Moleculer) is forced onto 127.0.0.1; an explicit non-loopback
 *   address throws; a server that still ends up on another address is closed and the process fails.
 * - net.Socket#connect (and so net.connect, http.request, http2.connect, tls.connect) throws unless the target is
 *   127.0.0.0/8, ::1, ::ffff:127.x, 'localhost' or a Unix socket path.
 * - dgram sockets are refused outright (Moleculer's UDP discovery must be off).
 * - Watchdog: exits when the parent goes away (IPC 'disconnect', or the parent pid no longer alive) or after
 *   BENCH_MAX_LIFETIME_MS (default 120000; 0 disables it).
 */
const net = require('node:net');
const dgram = require('node:dgram');

const LISTEN_HOST = '127.0.0.1';
const WILDCARD_HOSTS = new Set([undefined, null, '', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node's own default for connect is localhost
  const h = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function fail(message) {
  const err = new Error(`[bench guard] ${message}`);
  err.code = 'BENCH_GUARD';
  throw err;
}

// ---- listen -------------------------------------------------------------------------------------------------------
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function guardedListen(...args) {
  const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const first = args[0];
  let options;
  if (first === undefined || first === null) {
    options = { port: 0 };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    options = { port: Number(first) };
    if (typeof args[1] === 'string' || args[1] === null || args[1] === undefined) options.host = args[1];
    const backlog = typeof args[1] === 'number' ? args[1] : args[2];
    if (typeof backlog === 'number') options.backlog = backlog;
  } else if (typeof first === 'string') {
    options = { path: first }; // a Unix socket: local by definition
  } else if (typeof first === 'object' && first.fd === undefined && first.handle === undefined && !first._handle) {
    options = { ...first };
  } else {
    fail('listen() on a handle or file descriptor is not allowed in benchmarks');
  }
  if (!(typeof options.path === 'string' && options.path !== '')) {
    delete options.path;
    if (!WILDCARD_HOSTS.has(options.host) && !isLoopback(options.host)) {
      fail(`refusing to listen on non-loopback address ${options.host}`);
    }
    options.host = LISTEN_HOST;
    delete options.ipv6Only;
    this.once('listening', () => {
      const address = this.address();
      if (address && typeof address === 'object' && !isLoopback(address.address)) {
        this.close();
        process.emitWarning(`[bench guard] server ended up on ${address.address}; closed`);
        process.exitCode = 70;
      }
    });
  }
  return cb ? originalListen.call(this, options, cb) : originalListen.call(this, options);
};

// ---- connect ------------------------------------------------------------------------------------------------------
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // net.connect() passes one normalised array [options, cb]; users pass (options, cb), (port, host, cb) or (path, cb).
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  let host;
  let path;
  if (first && typeof first === 'object') {
    path = first.path;
    host = first.host;
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (typeof first === 'string') {
    path = first;
  }
  if (!(typeof path === 'string' && path !== '') && !isLoopback(host))
    fail(`refusing to connect to non-loopback host ${host}`);
  return originalConnect.apply(this, args);
};

// ---- UDP ----------------------------------------------------------------------------------------------------------
dgram.createSocket = function refusedCreateSocket() {
  fail('UDP sockets are refused in benchmarks (turn Moleculer udpDiscovery off)');
};
dgram.Socket.prototype.bind = function refusedBind() {
  fail('UDP sockets are refused in benchmarks');
};

// ---- watchdog -----------------------------------------------------------------------------------------------------
const maxLifetimeMs = Number(process.env.BENCH_MAX_LIFETIME_MS ?? 120000);
if (maxLifetimeMs > 0) {
  setTimeout(() => {
    process.stderr.write(
      `[bench guard] pid ${process.pid} reached its maximum lifetime (${maxLifetimeMs} ms); exiting\n`,
    );
    process.exit(71);
  }, maxLifetimeMs).unref();
}

if (process.env.BENCH_GUARD_NO_PARENT_WATCH !== '1') {
  const parentPid = process.ppid;
  if (typeof process.send === 'function') {
    process.on('disconnect', () => process.exit(72));
  }
  const parentGone = () => {
    if (process.ppid !== parentPid) return true; // re-parented: our parent died
    try {
      process.kill(parentPid, 0);
      return false;
    } catch (err) {
      return err.code === 'ESRCH';
    }
  };
  setInterval(() => {
    if (parentGone()) {
      process.stderr.write(`[bench guard] parent ${parentPid} of pid ${process.pid} went away; exiting\n`);
      process.exit(73);
    }
  }, 500).unref();
}

module.exports = { isLoopback };
