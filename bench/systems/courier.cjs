'use strict';
/**
 * Courier itself, from the build output (dist/src/index.js, i.e. the package root `courier-rpc`): direct URLs, no
 * registry, default serializer (msgpack) and default load balancing (random) over 1..N providers.
 */
const path = require('node:path');

const ENTRY = path.join(__dirname, '..', '..', 'dist', 'src', 'index.js');
const INTERFACE = 'bench.Echo';
const VERSION = '1.0.0';

function courier() {
  return require(ENTRY);
}

async function startServer({ impl }) {
  const { RpcServer } = courier();
  const server = new RpcServer({ host: '127.0.0.1', port: 0 });
  server.export(impl, { interface: INTERFACE, version: VERSION });
  await server.start();
  return { port: server.address.port, stop: () => server.stop() };
}

async function createClient({ ports }) {
  const { RpcClient } = courier();
  const client = new RpcClient({});
  const url = 'courier://' + ports.map((p) => `127.0.0.1:${p}`).join(',');
  const echo = client.reference(INTERFACE, { url, version: VERSION, timeout: 10000 });
  // The proxy is the API: every call goes through Courier's own property lookup, as in user code.
  return { api: echo, close: () => client.close() };
}

module.exports = { name: 'courier', binary: true, startServer, createClient };
