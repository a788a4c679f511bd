'use strict';
/** @grpc/grpc-js unary calls, contract loaded at run time from echo.proto by @grpc/proto-loader. */
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, 'echo.proto'), {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: false,
  oneofs: true,
});
const { Echo } = grpc.loadPackageDefinition(definition).bench;

// No proxy from the environment, ever: loopback only.
const CHANNEL_OPTIONS = { 'grpc.enable_http_proxy': 0 };

async function startServer({ impl }) {
  const server = new grpc.Server(CHANNEL_OPTIONS);
  server.addService(Echo.service, {
    Add: (call, cb) => cb(null, { sum: impl.add(call.request.a, call.request.b) }),
    EchoObject: (call, cb) => cb(null, impl.echo(call.request)),
    EchoBytes: (call, cb) => cb(null, { data: impl.bytes(call.request.data) }),
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

async function createClient({ ports }) {
  const client = new Echo(`127.0.0.1:${ports[0]}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  await new Promise((resolve, reject) =>
    client.waitForReady(Date.now() + 10000, (err) => (err ? reject(err) : resolve())),
  );
  const unary = (method, req, map) =>
    new Promise((resolve, reject) => client[method](req, (err, res) => (err ? reject(err) : resolve(map(res)))));
  const toWire = (o) => ({ ...o, createdAt: o.createdAt.getTime() });
  const fromWire = (o) => ({ ...o, createdAt: new Date(o.createdAt) });
  return {
    api: {
      add: (a, b) => unary('Add', { a, b }, (r) => r.sum),
      echo: (obj) => unary('EchoObject', toWire(obj), fromWire),
      bytes: (data) => unary('EchoBytes', { data }, (r) => r.data),
    },
    close: async () => client.close(),
  };
}

module.exports = { name: 'grpc', binary: true, startServer, createClient };
