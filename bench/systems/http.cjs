'use strict';
/**
 * HTTP/1.1 keep-alive: POST /add and /echo with JSON bodies, POST /bytes with an application/octet-stream body
 * (what an HTTP user would do with a blob). The client's keep-alive agent has one socket per in-flight call.
 */
const http = require('node:http');

function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

async function startServer({ impl }) {
  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      let out;
      let type = 'application/json';
      if (req.url === '/add') {
        const { a, b } = JSON.parse(body);
        out = JSON.stringify(impl.add(a, b));
      } else if (req.url === '/echo') {
        out = JSON.stringify(impl.echo(JSON.parse(body)));
      } else if (req.url === '/bytes') {
        out = impl.bytes(body);
        type = 'application/octet-stream';
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(out) });
      res.end(out);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err && err.message));
    }
  });
  server.keepAliveTimeout = 60000;
  server.headersTimeout = 61000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function createClient({ ports, concurrency }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const port = ports[0];
  const post = (path, type, body, parse) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          readBody(res).then((buf) => {
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${buf}`));
            else resolve(parse(buf));
          }, reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const json = (buf) => JSON.parse(buf);
  return {
    api: {
      add: (a, b) => post('/add', 'application/json', JSON.stringify({ a, b }), json),
      echo: (obj) => post('/echo', 'application/json', JSON.stringify(obj), json),
      bytes: (data) => post('/bytes', 'application/octet-stream', data, (buf) => buf),
    },
    close: async () => agent.destroy(),
  };
}

module.exports = { name: 'http', binary: true, startServer, createClient };
