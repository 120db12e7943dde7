/**
 * One server process of the reconnect-storm benchmark (forked, with an IPC channel): the chat's
 * WebSocket server on PostgreSQL and the Redis channel layer. The `seed` process first migrates
 * and writes the scenario (clients in rooms with senders, and many pending notifications each);
 * the `serve` process joins the same database and channel. Answers `stats` with its CPU time,
 * database round trips and memory.
 *
 * Arguments: <seed|serve> <database url> <redis url> <channel> <token secret> <clients> <rooms> <pending per room>
 */
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/core';
import { RedisChannelLayer, attachChatWebSocket, chatOrmConfig, createChatEngine, defineChatSettings, model, tokenAuthentication, type AbstractUser } from '../src/index.js';
import { answerStats, countRoundTrips } from './process-stats.js';

const [role, databaseUrl, redisUrl, channel, secret] = process.argv.slice(2) as [string, string, string, string, string];
const [clientCount, roomCount, pendingPerRoom] = process.argv.slice(7).map(Number) as [number, number, number];
/** Senders are members of every room; each client is in two. */
const SENDERS = 10;
const ROOMS_PER_CLIENT = 2;

/** The scenario, as the driver needs it. */
export interface StormScenario {
  /** Per client: its token and its rooms. */
  readonly clients: { readonly token: string; readonly rooms: string[] }[];
  readonly senders: string[];
  readonly rooms: string[];
  /** Each room's latest event number once seeded: clients start there. */
  readonly latest: Record<string, number>;
}

const settings = defineChatSettings({ inactivityThreshold: 3600 });
const orm = await MikroORM.init({ ...(await chatOrmConfig(settings, { database: { url: databaseUrl } })), pool: { min: 2, max: 10 }, debug: false });
const tokens = tokenAuthentication(orm, secret);
const engine = createChatEngine({ orm, settings });

/** The rooms of client `i`: two of them, different ones. */
function roomsOfClient(i: number): number[] {
  return [i % roomCount, (i + Math.max(1, Math.floor(roomCount / 3))) % roomCount].slice(0, Math.min(ROOMS_PER_CLIENT, roomCount));
}

async function seed(): Promise<StormScenario> {
  await orm.getMigrator().up();
  const connection = orm.em.getConnection();
  const insertUsers = async (prefix: string, count: number): Promise<string[]> =>
    (await connection.execute(`insert into chat_user (id, username) select gen_random_uuid(), ? || g from generate_series(1, ?) g returning id`, [prefix, count])).map(
      (row: { id: string }) => row.id,
    );
  const clientIds = await insertUsers('client-', clientCount);
  const senderIds = await insertUsers('sender-', SENDERS);
  const em = orm.em.fork();
  const senders = (await em.find(model('User'), { id: { $in: senderIds } })) as AbstractUser[];
  const rooms: string[] = [];
  for (let r = 0; r < roomCount; r++) {
    const members = clientIds.filter((_, i) => roomsOfClient(i).includes(r));
    const created = await engine.createRoom(senders[0]!, { type: 'GroupChat', name: `Storm ${r}`, participants: [...senderIds.slice(1), ...members] });
    rooms.push(created.result.id as string);
  }
  // The pending notifications: every room's senders talk before the clients connect.
  await Promise.all(
    rooms.map(async (room, r) => {
      for (let i = 0; i < pendingPerRoom; i++) await engine.sendMessage(senders[(r + i) % SENDERS]!, { room_id: room, content: `before the storm ${r}-${i}` });
    }),
  );
  const latest: Record<string, number> = {};
  for (const row of await connection.execute('select room_id, max(seq)::int as seq from chat_room_event group by room_id')) latest[row.room_id] = row.seq;
  return {
    clients: clientIds.map((id, i) => ({ token: tokens.issue(id), rooms: roomsOfClient(i).map(r => rooms[r]!) })),
    senders: senderIds.map(id => tokens.issue(id)),
    rooms,
    latest,
  };
}

const scenario = role === 'seed' ? await seed() : undefined;
const server = createServer();
await attachChatWebSocket(server, {
  orm,
  settings,
  engine,
  authenticate: tokens.authenticate,
  layer: new RedisChannelLayer({ url: redisUrl, channel }),
  rateLimit: { burst: 100_000, perSecond: 100_000 },
  maxQueuedFrames: 100_000,
});
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
countRoundTrips();
answerStats();
// `profile:start` / `profile:stop <file>`: a CPU profile of a window of the run (the storm alone).
const inspector = new Session();
process.on('message', async (message: string) => {
  if (message === 'profile:start') {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  } else if (typeof message === 'string' && message.startsWith('profile:stop ')) {
    const { profile } = await inspector.post('Profiler.stop');
    const file = message.slice('profile:stop '.length);
    mkdirSync(file.replace(/[^/]*$/, ''), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    process.send!({ profiled: file });
  }
});
process.send!({ ready: { port: (server.address() as AddressInfo).port, scenario } });
