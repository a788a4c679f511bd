'use strict';
/**
 * One bench process: `node -r ./bench/guard.cjs bench/worker.cjs <server|client> <system> '<json config>'`,
 * forked by bench/run.mjs and driven over IPC.
 *
 * server: starts the system's server, sends {type:'ready', port}; answers {type:'cpu'} with its own cpuUsage();
 *         exits on {type:'stop'}.
 * client: connects to config.ports, checks one call, runs config.concurrency loops for warmupMs + measureMs,
 *         sends {type:'mark'} at the start and end of the measured window (the runner then samples the servers'
 *         CPU), and finally {type:'result', ...}.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Histogram } = require('./lib/histogram.cjs');
const { impl, makeObject, makeBytes, BYTES_SIZE } = require('./lib/workloads.cjs');

const [role, systemName, rawConfig] = process.argv.slice(2);
const config = JSON.parse(rawConfig || '{}');
const system = require(path.join(__dirname, 'systems', `${systemName}.cjs`));

function send(msg) {
  if (process.send) process.send(msg);
}

function die(err) {
  send({ type: 'error', message: String((err && err.stack) || err) });
  setTimeout(() => process.exit(1), 50).unref();
}
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

async function runServer() {
  const server = await system.startServer({ impl, index: config.index || 0 });
  process.on('message', async (msg) => {
    if (msg.type === 'cpu') {
      send({ type: 'cpu', seq: msg.seq, usage: process.cpuUsage() });
    } else if (msg.type === 'stop') {
      const timer = setTimeout(() => process.exit(0), 2000);
      try {
        await server.stop();
      } finally {
        clearTimeout(timer);
        process.exit(0);
      }
    }
  });
  send({ type: 'ready', port: server.port, pid: process.pid });
}

function makeCall(api, workload) {
  if (workload === 'add') return () => api.add(1, 2);
  if (workload === 'obj') {
    const obj = makeObject();
    return () => api.echo(obj);
  }
  if (workload === 'bytes') {
    const data = system.binary ? makeBytes() : makeBytes().toString('latin1');
    return () => api.bytes(data);
  }
  throw new Error(`unknown workload ${workload}`);
}

function check(workload, result) {
  if (workload === 'add' && result !== 3) throw new Error(`add(1, 2) returned ${result}`);
  if (workload === 'obj' && (!result || result.name !== 'Ada Lovelace' || result.tags.length !== 8)) {
    throw new Error(`echo returned ${JSON.stringify(result)}`);
  }
  if (workload === 'bytes' && (!result || result.length !== BYTES_SIZE)) {
    throw new Error(`bytes returned ${result && result.length} bytes`);
  }
}

async function runClient() {
  const { ports, workload, concurrency, warmupMs, measureMs } = config;
  const client = await system.createClient({ ports, concurrency });
  const call = makeCall(client.api, workload);
  check(workload, await call());
  check(workload, await call());

  const hist = new Histogram();
  let measuring = false;
  let stopping = false;
  let calls = 0;
  let errors = 0;
  let lastError = '';
  let t0 = 0;
  let t1 = 0;
  let cpu0;
  let cpu1;

  async function loop() {
    let start = performance.now();
    while (!stopping) {
      let ok = true;
      try {
        await call();
      } catch (err) {
        ok = false;
        errors++;
        lastError = String((err && err.message) || err);
        if (errors > 1000) stopping = true;
      }
      const end = performance.now();
      if (measuring && ok) {
        calls++;
        hist.record((end - start) * 1000);
      }
      start = end;
    }
  }

  const loops = [];
  for (let i = 0; i < concurrency; i++) loops.push(loop());

  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  measuring = true;
  send({ type: 'mark', phase: 'start' });
  await new Promise((resolve) => setTimeout(resolve, measureMs));
  measuring = false;
  t1 = performance.now();
  cpu1 = process.cpuUsage(cpu0);
  send({ type: 'mark', phase: 'end' });
  stopping = true;

  // Bounded drain of the in-flight calls.
  let drained = true;
  await Promise.race([
    Promise.allSettled(loops),
    new Promise((resolve) =>
      setTimeout(() => {
        drained = false;
        resolve();
      }, 10000).unref(),
    ),
  ]);
  await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);

  send({
    type: 'result',
    calls,
    errors,
    lastError,
    drained,
    elapsedMs: t1 - t0,
    clientCpuUs: cpu1.user + cpu1.system,
    latency: hist.summary(),
  });
  setTimeout(() => process.exit(0), 100).unref();
}

(role === 'server' ? runServer() : runClient()).catch(die);
