/**
 * Benchmark of the WebSocket server against a bare `ws` broadcast server (no database), one
 * server process each, in the same run: sockets held (memory per socket), fan-out latency of a
 * message to a 100-member room (p50/p99 over every delivery) while the idle sockets stay
 * connected, and messages per second end to end (every member received it); and the same with the
 * guide's custom message swapped in. Prints the ratios.
 *
 * Usage: npm run bench:ws [-- --idle 10000 --samples 200 --seconds 5 --churn 2000 --warmup 500 --warmup-max 10 --no-notifications]   (DATABASE_URL, default the local test server)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
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
const IDLE = option('idle', 10_000);
const SAMPLES = option('samples', 200);
const SECONDS = option('seconds', 5);
const SENDERS = 10;
const WINDOW = 4;
const CHURN = option('churn', 2000);
// Sockets opened and closed on each server before anything is measured, so that neither the
// server's nor the clients' code is measured before it is compiled (the clients share this process
// across the three servers: without it, the first server measured paid for their warm-up).
const WARMUP = option('warmup', 500);
/** Most seconds of unmeasured sending before messages / s is measured (it stops once the rate is steady). */
const WARMUP_MAX_SECONDS = option('warmup-max', 10);
// `--no-notifications`: the package's server with `enableNotification: false` (no notification
// rows, no `chat.notifications` frame), to show what storing a notification for 99 recipients costs.
const NOTIFICATIONS = !process.argv.includes('--no-notifications');

interface Ready {
  port: number;
  members: string[];
  idle: string[];
  room: string;
}

interface Throughput {
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  /** The server's CPU time per message sent (fan-out included), in µs. */
  cpuPerMessage: number;
  /** Database round trips per message sent. */
  tripsPerMessage: number;
  /** PostgreSQL's CPU time per message sent, in µs (NaN where it cannot be read). */
  dbCpuPerMessage: number;
  /** The clients' (this process's) CPU time per message sent, in µs. */
  driverCpuPerMessage: number;
}

interface Figures extends Throughput {
  connectPerSecond: number;
  /** CPU time per socket opened, in µs: the server's, PostgreSQL's, the clients'. */
  connectCpu: { server: number; database: number; clients: number };
  /** Database round trips per socket opened. */
  connectTrips: number;
  bytesPerSocket: number;
  heapPerSocket: number;
  p50: number;
  p99: number;
  /** Deliveries of the custom message that did not show its own field (must be 0). */
  unshown: number;
  /** Seconds of unmeasured sending before messages / s was measured (until the rate was steady). */
  warmed: number;
  /** The same load after CHURN sockets connected and closed. */
  churned: Throughput;
}

const ask = askChild;

/**
 * How a client knows its socket is set up: the bare server's once it is open; the package's once
 * its first frame (`chat.notifications`) arrived or, with notifications off, once a heartbeat is
 * answered (frames are handled after the socket's set-up, so its rooms are joined by then).
 */
type SetUp = 'open' | 'first-frame' | 'heartbeat';
type Kind = 'package' | 'package-custom' | 'baseline';
const readyOf = (kind: Kind): SetUp => (kind === 'baseline' ? 'open' : NOTIFICATIONS ? 'first-frame' : 'heartbeat');

/** Opens a socket and resolves once it is set up (see `SetUp`). */
function open(url: string, ready: SetUp): Promise<WebSocket> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('error', fail);
    if (ready === 'open') socket.once('open', () => done(socket));
    else socket.once('message', () => done(socket));
    if (ready === 'heartbeat') socket.once('open', () => socket.send(JSON.stringify({ event_type: 'session.heartbeat', data: {}, id: 'ready' })));
  });
}

/** Opens `count` sockets of the users of `tokens` (200 at a time), each closed once the 200 are set up. */
async function openAndClose(tokens: readonly string[], count: number, urlOf: (token: string) => string, ready: SetUp): Promise<void> {
  for (let i = 0; i < count; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, k) => open(urlOf(tokens[(i + k) % tokens.length]!), ready)));
    await Promise.all(batch.map(socket => new Promise(done => (socket.once('close', done), socket.close()))));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(kind: Kind, databaseUrl: string): Promise<Figures> {
  // BENCH_PROFILE=1 writes a CPU profile of the package's server under .tmp/profile.
  const profile = process.env.BENCH_PROFILE && kind !== 'baseline' ? ['--cpu-prof', '--cpu-prof-dir=.tmp/profile'] : [];
  const child = fork(join(ROOT, 'dist', 'bench', 'ws-server.js'), [kind, databaseUrl, String(IDLE), NOTIFICATIONS ? 'notifications' : 'no-notifications'], { execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await ask<Ready>(child, undefined, 'ready');
    const path = kind === 'baseline' ? '/' : '/messaging/';
    const urlOf = (token: string) => `ws://127.0.0.1:${ready.port}${path}?token=${encodeURIComponent(token)}`;
    await openAndClose(ready.idle, WARMUP, urlOf, readyOf(kind));
    const before = await ask<ProcessStats>(child, 'stats');
    const [dbBefore, driverBefore] = [databaseCpuMicros() ?? NaN, process.cpuUsage()];
    const started = Date.now();
    const idle: WebSocket[] = [];
    for (let i = 0; i < ready.idle.length; i += 200) idle.push(...(await Promise.all(ready.idle.slice(i, i + 200).map(token => open(urlOf(token), readyOf(kind))))));
    const connectPerSecond = idle.length / ((Date.now() - started) / 1000);
    const [dbConnected, driverConnect] = [databaseCpuMicros() ?? NaN, process.cpuUsage(driverBefore)];
    const connected = await ask<ProcessStats>(child, 'stats');
    const connectCpu = {
      server: (connected.cpuMicros - before.cpuMicros) / idle.length,
      database: (dbConnected - dbBefore) / idle.length,
      clients: (driverConnect.user + driverConnect.system) / idle.length,
    };
    const connectTrips = (connected.roundTrips - before.roundTrips) / idle.length;
    await new Promise(done => setTimeout(done, 1000));
    const held = await ask<ProcessStats>(child, 'stats');

    const members = await Promise.all(ready.members.map(token => open(urlOf(token), readyOf(kind))));
    const waiting = new Map<string, { left: number; sentAt: number; done: () => void }>();
    const latencies: number[] = [];
    let deliveries = 0;
    let unshown = 0;
    for (const socket of members) {
      socket.on('message', raw => {
        const frame = JSON.parse(raw.toString());
        if (frame.eventType !== 'message.dispatch') return;
        deliveries++;
        // The custom message's own field is written on every send and shown on every delivery.
        if (kind === 'package-custom' && frame.data.priority !== 'high') unshown++;
        const wait = waiting.get(frame.data.content);
        if (!wait) return;
        latencies.push(performance.now() - wait.sentAt);
        if (--wait.left === 0) {
          waiting.delete(frame.data.content);
          wait.done();
        }
      });
    }
    const sendOne = (sender: WebSocket, content: string) =>
      new Promise<void>(done => {
        waiting.set(content, { left: members.length, sentAt: performance.now(), done });
        const extra = kind === 'package-custom' ? { extra_fields: { priority: 'high' } } : {};
        sender.send(JSON.stringify({ event_type: 'message.send', data: { room_id: ready.room, content, ...extra } }));
      });
    // Warm up, then fan-out latency: one message at a time, timed at every member.
    for (let i = 0; i < 20; i++) await sendOne(members[0]!, `warm-${i}`);
    latencies.length = 0;
    for (let i = 0; i < SAMPLES; i++) await sendOne(members[i % members.length]!, `sample-${i}`);
    const sorted = [...latencies].sort((a, b) => a - b);

    // Throughput: SENDERS members each keep WINDOW messages in flight for SECONDS.
    const throughput = async (label: string, seconds = SECONDS) => {
      let completed = 0;
      deliveries = 0;
      const end = Date.now() + seconds * 1000;
      const flow = async (sender: WebSocket, s: number) => {
        let n = 0;
        const lane = async () => {
          while (Date.now() < end) {
            await sendOne(sender, `${label}-${s}-${n++}`);
            completed++;
          }
        };
        await Promise.all(Array.from({ length: WINDOW }, lane));
      };
      const from = await ask<ProcessStats>(child, 'stats');
      const [dbFrom, driverFrom] = [databaseCpuMicros() ?? NaN, process.cpuUsage()];
      const flowStarted = Date.now();
      await Promise.all(members.slice(0, SENDERS).map(flow));
      const elapsed = (Date.now() - flowStarted) / 1000;
      const [dbTo, driverUsed] = [databaseCpuMicros() ?? NaN, process.cpuUsage(driverFrom)];
      const to = await ask<ProcessStats>(child, 'stats');
      return {
        messagesPerSecond: completed / elapsed,
        deliveriesPerSecond: deliveries / elapsed,
        cpuPerMessage: (to.cpuMicros - from.cpuMicros) / Math.max(1, completed),
        tripsPerMessage: (to.roundTrips - from.roundTrips) / Math.max(1, completed),
        dbCpuPerMessage: (dbTo - dbFrom) / Math.max(1, completed),
        driverCpuPerMessage: (driverUsed.user + driverUsed.system) / Math.max(1, completed),
      };
    };
    // Unmeasured until the rate stops climbing: the server's code compiled for this load.
    let round = 0;
    const warmed = await warmUntilSteady(async () => (await throughput(`warm${round++}`, 1)).messagesPerSecond, { maxSeconds: WARMUP_MAX_SECONDS });
    const fresh = { ...(await throughput('fresh')), warmed };
    // Churn: CHURN more sockets connect and close, then the same load again (a leak of any kind shows here).
    await openAndClose(ready.idle, CHURN, urlOf, readyOf(kind));
    await new Promise(done => setTimeout(done, 1000));
    const churned = await throughput('churned');
    for (const socket of [...idle, ...members]) socket.terminate();
    return {
      connectPerSecond,
      connectCpu,
      connectTrips,
      bytesPerSocket: (held.rss - before.rss) / idle.length,
      heapPerSocket: (held.heapUsed - before.heapUsed) / idle.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      unshown,
      ...fresh,
      churned,
    };
  } finally {
    // A clean exit, so that a CPU profile gets written.
    const exited = new Promise(done => child.once('exit', done));
    child.send('exit');
    await Promise.race([exited, new Promise(done => setTimeout(done, 5000))]);
    child.kill();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;

// Each package server on a scratch database of its own; the bare server has none.
const ours = await withDatabase(url => measure('package', url));
const custom = await withDatabase(url => measure('package-custom', url));
const bare = await measure('baseline', '');
console.log(`WebSocket benchmark: ${IDLE} idle sockets held, a 100-member room, ${SAMPLES} fan-out samples, ${SECONDS} s of ${SENDERS}×${WINDOW} senders${NOTIFICATIONS ? '' : ', notifications off'}`);
console.log('custom: the guide\'s custom message swapped in, its `priority` written on every send and shown on every delivery');
console.log('');
console.log('                                  package        custom         bare ws        package / bare   custom / package');
type Pick = (f: Figures) => number;
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '');
const row = (label: string, pick: Pick, format: (value: number) => string, vsBare = true, ratios = true) => {
  const [a, c, b] = [pick(ours), pick(custom), pick(bare)];
  console.log(`${label.padEnd(34)}${format(a).padEnd(15)}${format(c).padEnd(15)}${(vsBare ? format(b) : '-').padEnd(15)}${(vsBare && ratios ? x(a / b) : '').padEnd(17)}${ratios ? x(c / a) : ''}`);
};
const n0 = (value: number) => value.toFixed(0);
row('sockets opened / s', f => f.connectPerSecond, n0);
row('  CPU µs / socket: server', f => f.connectCpu.server, n0);
row('  CPU µs / socket: database', f => f.connectCpu.database, n0, false);
row('  CPU µs / socket: clients', f => f.connectCpu.clients, n0);
row('  round trips / socket', f => f.connectTrips, v => v.toFixed(2), false);
row('memory per socket (RSS)', f => f.bytesPerSocket, kib);
row('heap per socket', f => f.heapPerSocket, kib);
row('fan-out p50', f => f.p50, ms);
row('fan-out p99', f => f.p99, ms);
row('messages / s (all 100)', f => f.messagesPerSecond, n0);
row('  after sending unmeasured (s)', f => f.warmed, n0, true, false);
row('deliveries / s', f => f.deliveriesPerSecond, n0);
row('CPU µs / message', f => f.cpuPerMessage, n0);
row('  database CPU µs / message', f => f.dbCpuPerMessage, n0, false);
row("  clients' CPU µs / message", f => f.driverCpuPerMessage, n0);
row('round trips / message', f => f.tripsPerMessage, v => v.toFixed(1), false);
row(`messages / s after ${CHURN} churn`, f => f.churned.messagesPerSecond, n0);
row('CPU µs / message, churned', f => f.churned.cpuPerMessage, n0);
if (custom.unshown > 0) console.log(`custom message: ${custom.unshown} deliveries without its priority`);
console.log('');
const aims: [string, number, boolean][] = [
  ['sockets opened / s at least 0.5×', ours.connectPerSecond / bare.connectPerSecond, ours.connectPerSecond >= 0.5 * bare.connectPerSecond],
  ['RSS per idle socket at most 2×', ours.bytesPerSocket / bare.bytesPerSocket, ours.bytesPerSocket <= 2 * bare.bytesPerSocket],
  ['fan-out p99 at most 3×', ours.p99 / bare.p99, ours.p99 <= 3 * bare.p99],
  ['messages / s at least 0.5×', ours.messagesPerSecond / bare.messagesPerSecond, ours.messagesPerSecond >= 0.5 * bare.messagesPerSecond],
  ['custom message within 10% of the defaults (sockets / s, messages / s, fan-out p99)', custom.messagesPerSecond / ours.messagesPerSecond,
    custom.unshown === 0 && [custom.connectPerSecond / ours.connectPerSecond, custom.messagesPerSecond / ours.messagesPerSecond, ours.p99 / custom.p99].every(r => r >= 0.9)],
];
console.log(`aims (of the bare server): ${aims.map(([label, ratio, met]) => `${label}: ${ratio.toFixed(2)}× ${met ? 'met' : 'not met'}`).join('; ')}`);
