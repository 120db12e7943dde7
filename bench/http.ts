/**
 * Benchmark of the REST API against a bare Koa + pg baseline, on PostgreSQL, side by side in one
 * run: requests per second and p99 latency of sending a message and of reading a 50-message
 * history page, CPU time per request of the server, of PostgreSQL and of this load generator (on a
 * shared machine their sum bounds throughput), database round trips per request, and the ratios. Each
 * server runs in its own process; the load comes from this one.
 *
 * Usage: npm run bench:http [-- --seconds 5 --connections 16 --warmup 1 --warmup-max 15]   (DATABASE_URL, default the local test server)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:http';
import pg from 'pg';
import type { ProcessStats } from './process-stats.js';
import { withDatabase } from './scratch-database.js';
import { askChild } from './child-ipc.js';
import { databaseCpuMicros } from './database-cpu.js';
import { warmUntilSteady } from './steady-rate.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SECONDS = option('seconds', 5);
const CONNECTIONS = option('connections', 16);
/**
 * Unmeasured load before each scenario: pool connections opened, statements prepared and planned,
 * code compiled. At least this many seconds, then one-second rounds until the throughput stops
 * climbing (a JIT-compiled server takes several seconds of load to reach its steady rate, more
 * code longer), at most `--warmup-max` seconds.
 */
const WARMUP_SECONDS = option('warmup', 1);
const WARMUP_MAX_SECONDS = option('warmup-max', 15);

interface Result {
  /** Seconds of unmeasured load before it. */
  warmup: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time per request, in µs. */
  cpuPerOp: number;
  /** Database round trips per request (BEGIN and COMMIT included). */
  tripsPerOp: number;
  /** PostgreSQL's CPU time per request, in µs (NaN where it cannot be read). */
  dbCpuPerOp: number;
  /** This load generator's CPU time per request, in µs. */
  driverCpuPerOp: number;
}

const ask = askChild;

async function startServer(kind: Kind, url: string): Promise<{ child: ChildProcess; port: number; token: string; room: string }> {
  // BENCH_PROFILE=1 writes a CPU profile of the package's server under .tmp/profile.
  const profile = process.env.BENCH_PROFILE && kind !== 'baseline' ? ['--cpu-prof', '--cpu-prof-dir=.tmp/profile'] : [];
  const child = fork(join(ROOT, 'dist', 'bench', 'http-server.js'), [kind, url], { execArgv: profile, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [port, token, room] = (await ask<string>(child, undefined, 'ready')).split(' ');
  return { child, port: Number(port), token: token!, room: room! };
}

/** Sends requests from `CONNECTIONS` keep-alive connections for `SECONDS`. */
async function load(child: ChildProcess, port: number, method: string, path: string, headers: Record<string, string>, body: () => string | undefined, seconds = SECONDS): Promise<Result> {
  const before = await ask<ProcessStats>(child, 'stats');
  const [dbBefore, driverBefore] = [databaseCpuMicros() ?? NaN, process.cpuUsage()];
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const one = () =>
    new Promise<void>(done => {
      const payload = body();
      const started = process.hrtime.bigint();
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, res => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) errors++;
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          done();
        });
      });
      req.on('error', () => {
        errors++;
        done();
      });
      req.end(payload);
    });
  const worker = async () => {
    while (Date.now() < end) await one();
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  const [dbAfter, driverUsed] = [databaseCpuMicros() ?? NaN, process.cpuUsage(driverBefore)];
  const after = await ask<ProcessStats>(child, 'stats');
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const ops = Math.max(1, latencies.length);
  return {
    warmup: 0,
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    cpuPerOp: (after.cpuMicros - before.cpuMicros) / ops,
    tripsPerOp: (after.roundTrips - before.roundTrips) / ops,
    dbCpuPerOp: (dbAfter - dbBefore) / ops,
    driverCpuPerOp: (driverUsed.user + driverUsed.system) / ops,
  };
}

type Kind = 'package' | 'package-custom' | 'baseline';

/** Loads for `WARMUP_SECONDS`, then until the throughput is steady (`warmUntilSteady`); then measures. */
async function steady(run: (seconds?: number) => Promise<Result>): Promise<Result> {
  const best = WARMUP_SECONDS > 0 ? (await run(WARMUP_SECONDS)).rps : 0;
  const spent = await warmUntilSteady(async () => (await run(1)).rps, { maxSeconds: WARMUP_MAX_SECONDS, best, spent: Math.max(0, WARMUP_SECONDS) });
  return { ...(await run()), warmup: spent };
}

async function vacuumAnalyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum (analyze)');
  } finally {
    await client.end();
  }
}

async function measure(kind: Kind): Promise<{ send: Result; read: Result }> {
  return withDatabase(async url => {
    const server = await startServer(kind, url);
    try {
      const headers: Record<string, string> = kind === 'baseline' ? {} : { authorization: `Bearer ${server.token}` };
      const prefix = '/api';
      let n = 0;
      // The custom message's own field is written (and shown) on every send.
      const body = () => JSON.stringify({ content: `bench message ${n++}`, ...(kind === 'package-custom' ? { priority: 'high' } : {}) });
      const sendLoad = (seconds?: number) => load(server.child, server.port, 'POST', `${prefix}/rooms/${server.room}/messages`, headers, body, seconds);
      const readLoad = (seconds?: number) => load(server.child, server.port, 'GET', `${prefix}/rooms/${server.room}/messages?limit=50`, headers, () => undefined, seconds);
      const send = await steady(sendLoad);
      // What autovacuum would have done by now on a live server: statistics that know about the rows
      // just sent (without them the planner may pick a sequential scan for one run and not the next),
      // and the sends' tables vacuumed (otherwise autovacuum does it during the reads, and its CPU is
      // counted as theirs).
      await vacuumAnalyze(url);
      const read = await steady(readLoad);
      return { send, read };
    } finally {
      const exited = new Promise(done => server.child.once('exit', done));
      server.child.send('exit');
      await Promise.race([exited, new Promise(done => setTimeout(done, 5000))]);
      server.child.kill();
    }
  });
}

const show = (r: Result) =>
  `${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   CPU µs/req: server ${r.cpuPerOp.toFixed(0).padStart(5)}, database ${r.dbCpuPerOp.toFixed(0).padStart(5)}, load ${r.driverCpuPerOp.toFixed(0).padStart(4)}   ${r.tripsPerOp.toFixed(1).padStart(4)} round trips/req   after ${r.warmup} s${r.errors ? `   (${r.errors} errors)` : ''}`;
console.log(`REST API vs bare Koa + pg on PostgreSQL: ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS} s unmeasured (until steady), Node ${process.version}`);
const baseline = await measure('baseline');
const pkg = await measure('package');
const custom = await measure('package-custom');
for (const scenario of ['send', 'read'] as const) {
  const label = scenario === 'send' ? 'send a message' : 'read 50 messages';
  console.log(`${label.padEnd(18)} baseline ${show(baseline[scenario])}`);
  console.log(`${''.padEnd(18)} package  ${show(pkg[scenario])}`);
  console.log(`${''.padEnd(18)} custom   ${show(custom[scenario])}`);
  console.log(
    `${''.padEnd(18)} ratio: throughput ${(pkg[scenario].rps / baseline[scenario].rps).toFixed(2)}x, p99 ${(pkg[scenario].p99 / baseline[scenario].p99).toFixed(2)}x of the baseline; ` +
      `the custom message at ${(custom[scenario].rps / pkg[scenario].rps).toFixed(2)}x of the defaults`,
  );
}
console.log('aim: at least 0.5x of the baseline throughput on both, the custom message within 10% of the defaults');
