'use strict';
/**
 * Moleculer 0.14 ServiceBroker with its built-in TCP transporter, default JSON serializer, logger, metrics and
 * tracing off. UDP discovery is off: the client is given the server as a static 127.0.0.1 peer and the server
 * learns the client's loopback address from its gossip HELLO. The 64 KiB payload travels as a 64 KiB ASCII string
 * (the JSON serializer has no binary type).
 */
const { ServiceBroker } = require('moleculer');

function brokerOptions(nodeID, transporterOptions) {
  return {
    nodeID,
    namespace: 'courier-bench',
    logger: false,
    metrics: { enabled: false },
    tracing: { enabled: false },
    requestTimeout: 10000,
    transporter: { type: 'TCP', options: { udpDiscovery: false, ...transporterOptions } },
  };
}

async function startServer({ impl, index }) {
  const nodeID = `bench-server-${index}-${process.pid}`;
  const broker = new ServiceBroker(brokerOptions(nodeID, { port: 0, urls: [] }));
  broker.createService({
    name: 'bench',
    actions: {
      add: (ctx) => impl.add(ctx.params.a, ctx.params.b),
      echo: (ctx) => impl.echo(ctx.params),
      bytes: (ctx) => impl.bytes(ctx.params.data),
    },
  });
  await broker.start();
  const port = broker.transit.tx.reader.server.address().port;
  // The client needs our node ID as well as our port: hand both over as "port/nodeID".
  return { port: `${port}/${nodeID}`, stop: () => broker.stop() };
}

async function createClient({ ports }) {
  const urls = ports.map((p) => `127.0.0.1:${p}`);
  const broker = new ServiceBroker(brokerOptions(`bench-client-${process.pid}`, { port: 0, urls }));
  await broker.start();
  await broker.waitForServices(['bench'], 15000);
  return {
    api: {
      add: (a, b) => broker.call('bench.add', { a, b }),
      echo: (obj) => broker.call('bench.echo', obj),
      bytes: (data) => broker.call('bench.bytes', { data }),
    },
    close: () => broker.stop(),
  };
}

module.exports = { name: 'moleculer', binary: false, startServer, createClient };
