/**
 * Benchmark of the WebSocket server against a bare `ws` broadcast server (no database), one
 * server process each, in the same run: sockets held (memory per socket), fan-out latency of a
 * message to a 100-member room (p50/p99 over every delivery) while the idle sockets stay
 * connected, and messages per second end to end (every member received it). Prints the ratios.
 *
 * Usage: npm run bench:ws [-- --idle 10000 --samples 200 --seconds 5 --churn 2000 --no-notifications]   (DATABASE_URL, default the local test server)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { ProcessStats } from './process-stats.js';
import { withDatabase } from './scratch-database.js';
import { askChild } from './child-ipc.js';
import { databaseCpuMicros } from './database-cpu.js';

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
const readyOf = (kind: 'package' | 'baseline'): SetUp => (kind === 'baseline' ? 'open' : NOTIFICATIONS ? 'first-frame' : 'heartbeat');

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(kind: 'package' | 'baseline', databaseUrl: string): Promise<Figures> {
  // BENCH_PROFILE=1 writes a CPU profile of the package's server under .tmp/profile.
  const profile = process.env.BENCH_PROFILE && kind === 'package' ? ['--cpu-prof', '--cpu-prof-dir=.tmp/profile'] : [];
  const child = fork(join(ROOT, 'dist', 'bench', 'ws-server.js'), [kind, databaseUrl, String(IDLE), NOTIFICATIONS ? 'notifications' : 'no-notifications'], { execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await ask<Ready>(child, undefined, 'ready');
    const path = kind === 'package' ? '/messaging/' : '/';
    const urlOf = (token: string) => `ws://127.0.0.1:${ready.port}${path}?token=${encodeURIComponent(token)}`;
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
    for (const socket of members) {
      socket.on('message', raw => {
        const frame = JSON.parse(raw.toString());
        if (frame.eventType !== 'message.dispatch') return;
        deliveries++;
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
        sender.send(JSON.stringify({ event_type: 'message.send', data: { room_id: ready.room, content } }));
      });
    // Warm up, then fan-out latency: one message at a time, timed at every member.
    for (let i = 0; i < 20; i++) await sendOne(members[0]!, `warm-${i}`);
    latencies.length = 0;
    for (let i = 0; i < SAMPLES; i++) await sendOne(members[i % members.length]!, `sample-${i}`);
    const sorted = [...latencies].sort((a, b) => a - b);

    // Throughput: SENDERS members each keep WINDOW messages in flight for SECONDS.
    const throughput = async (label: string) => {
      let completed = 0;
      deliveries = 0;
      const end = Date.now() + SECONDS * 1000;
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
    const fresh = await throughput('fresh');
    // Churn: CHURN more sockets connect and close, then the same load again (a leak of any kind shows here).
    for (let i = 0; i < CHURN; i += 200) {
      const batch = await Promise.all(Array.from({ length: Math.min(200, CHURN - i) }, (_, k) => open(urlOf(ready.idle[(i + k) % ready.idle.length]!), readyOf(kind))));
      await Promise.all(batch.map(socket => new Promise(done => (socket.once('close', done), socket.close()))));
    }
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

const [ours, bare] = await withDatabase(async url => [await measure('package', url), await measure('baseline', url)]);
console.log(`WebSocket benchmark: ${IDLE} idle sockets held, a 100-member room, ${SAMPLES} fan-out samples, ${SECONDS} s of ${SENDERS}×${WINDOW} senders${NOTIFICATIONS ? '' : ', notifications off'}`);
console.log('');
console.log('                                  package        bare ws        ratio (package / bare)');
const row = (label: string, a: string, b: string, ratio: number) => console.log(`${label.padEnd(34)}${a.padEnd(15)}${b.padEnd(15)}${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : ''}`);
row('sockets opened / s', ours.connectPerSecond.toFixed(0), bare.connectPerSecond.toFixed(0), ours.connectPerSecond / bare.connectPerSecond);
row('  CPU µs / socket: server', ours.connectCpu.server.toFixed(0), bare.connectCpu.server.toFixed(0), ours.connectCpu.server / bare.connectCpu.server);
row('  CPU µs / socket: database', ours.connectCpu.database.toFixed(0), '-', NaN);
row('  CPU µs / socket: clients', ours.connectCpu.clients.toFixed(0), bare.connectCpu.clients.toFixed(0), ours.connectCpu.clients / bare.connectCpu.clients);
row('  round trips / socket', ours.connectTrips.toFixed(2), bare.connectTrips.toFixed(2), NaN);
row('memory per socket (RSS)', kib(ours.bytesPerSocket), kib(bare.bytesPerSocket), ours.bytesPerSocket / bare.bytesPerSocket);
row('heap per socket', kib(ours.heapPerSocket), kib(bare.heapPerSocket), ours.heapPerSocket / bare.heapPerSocket);
row('fan-out p50', ms(ours.p50), ms(bare.p50), ours.p50 / bare.p50);
row('fan-out p99', ms(ours.p99), ms(bare.p99), ours.p99 / bare.p99);
row('messages / s (all 100)', ours.messagesPerSecond.toFixed(0), bare.messagesPerSecond.toFixed(0), ours.messagesPerSecond / bare.messagesPerSecond);
row('deliveries / s', ours.deliveriesPerSecond.toFixed(0), bare.deliveriesPerSecond.toFixed(0), ours.deliveriesPerSecond / bare.deliveriesPerSecond);
row('CPU µs / message', ours.cpuPerMessage.toFixed(0), bare.cpuPerMessage.toFixed(0), ours.cpuPerMessage / bare.cpuPerMessage);
row('  database CPU µs / message', ours.dbCpuPerMessage.toFixed(0), '-', NaN);
row('  clients\' CPU µs / message', ours.driverCpuPerMessage.toFixed(0), bare.driverCpuPerMessage.toFixed(0), ours.driverCpuPerMessage / bare.driverCpuPerMessage);
row('round trips / message', ours.tripsPerMessage.toFixed(1), bare.tripsPerMessage.toFixed(1), 0);
row(`messages / s after ${CHURN} churn`, ours.churned.messagesPerSecond.toFixed(0), bare.churned.messagesPerSecond.toFixed(0), ours.churned.messagesPerSecond / bare.churned.messagesPerSecond);
row('CPU µs / message, churned', ours.churned.cpuPerMessage.toFixed(0), bare.churned.cpuPerMessage.toFixed(0), ours.churned.cpuPerMessage / bare.churned.cpuPerMessage);
console.log('');
const aims: [string, number, boolean][] = [
  ['sockets opened / s at least 0.5×', ours.connectPerSecond / bare.connectPerSecond, ours.connectPerSecond >= 0.5 * bare.connectPerSecond],
  ['RSS per idle socket at most 2×', ours.bytesPerSocket / bare.bytesPerSocket, ours.bytesPerSocket <= 2 * bare.bytesPerSocket],
  ['fan-out p99 at most 3×', ours.p99 / bare.p99, ours.p99 <= 3 * bare.p99],
  ['messages / s at least 0.5×', ours.messagesPerSecond / bare.messagesPerSecond, ours.messagesPerSecond >= 0.5 * bare.messagesPerSecond],
];
console.log(`aims (of the bare server): ${aims.map(([label, ratio, met]) => `${label}: ${ratio.toFixed(2)}× ${met ? 'met' : 'not met'}`).join('; ')}`);
