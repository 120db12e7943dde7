/**
 * One server of the WebSocket benchmark, in its own process (forked, with an IPC channel):
 * `package` (the chat's WebSocket server over MikroORM and PostgreSQL, one room of 100 members
 * and `IDLE` users with no room), `package-custom` (the same with the guide's custom message
 * swapped in, its serializer showing its own fields) or `baseline` (a bare `ws` server that broadcasts every frame
 * it receives to the members of its one room, no database). Answers `stats` with its CPU time,
 * database round trips and memory.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MikroORM } from '@mikro-orm/core';
import { attachChatWebSocket, chatOrmConfig, createChatEngine, defineChatSettings, model, tokenAuthentication, type AbstractUser, type ChatSettings } from '../src/index.js';
import { answerStats, countRoundTrips } from './process-stats.js';

const [kind, url, idleCount, notifications] = [process.argv[2], process.argv[3]!, Number(process.argv[4] ?? 10_000), process.argv[5] !== 'no-notifications'];
const MEMBERS = 100;

/** What the driver needs: where to connect, and a token per member and per idle user. */
interface Ready {
  port: number;
  members: string[];
  idle: string[];
  room: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The settings and entities of the package's server: the defaults, or the guide's custom message (`package-custom`). */
async function packageSetup(): Promise<{ settings: ChatSettings; entities: Function[] }> {
  const common = { inactivityThreshold: 3600, enableNotification: notifications };
  if (kind !== 'package-custom') return { settings: defineChatSettings(common), entities: [] };
  const { CustomMessage } = await import('../fixtures/custom-message/models.js');
  const { CustomMessageSerializer } = await import('../fixtures/custom-message/serializers.js');
  return { settings: defineChatSettings({ ...common, models: { Message: CustomMessage }, serializers: { MessageSerializer: CustomMessageSerializer } }), entities: [CustomMessage] };
}

async function packageServer(): Promise<Ready> {
  const { settings, entities } = await packageSetup();
  const orm = await MikroORM.init({ ...(await chatOrmConfig(settings, { database: { url }, entities })), pool: { min: 2, max: 10 }, debug: false });
  // The package's migrations for the defaults; the custom message's schema straight from its entities.
  if (kind === 'package-custom') await orm.schema.createSchema();
  else await orm.getMigrator().up();
  const connection = orm.em.getConnection();
  const insertUsers = async (prefix: string, count: number) =>
    (await connection.execute(`insert into chat_user (id, username) select gen_random_uuid(), ? || g from generate_series(1, ?) g returning id`, [prefix, count])).map(
      (row: { id: string }) => row.id,
    );
  const memberIds = await insertUsers('member-', MEMBERS);
  const idleIds = await insertUsers('idle-', idleCount);
  const em = orm.em.fork();
  const owner = (await em.findOneOrFail(model('User'), { id: memberIds[0] } as never)) as AbstractUser;
  const engine = createChatEngine({ orm, settings });
  const room = (await engine.createRoom(owner, { type: 'GroupChat', name: 'Bench', participants: memberIds.slice(1) })).result.id as string;
  const tokens = tokenAuthentication(orm);
  const server = createServer();
  await attachChatWebSocket(server, {
    orm,
    settings,
    engine,
    authenticate: tokens.authenticate,
    rateLimit: { burst: 100_000, perSecond: 100_000 },
    maxQueuedFrames: 100_000,
    resyncIntervalMs: 0,
  });
  return { port: await listen(server), members: memberIds.map((id: string) => tokens.issue(id)), idle: idleIds.map((id: string) => tokens.issue(id)), room };
}

async function baselineServer(): Promise<Ready> {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const room = new Set<WebSocket>();
  wss.on('connection', (socket, request) => {
    const member = new URL(request.url ?? '/', 'http://x').searchParams.get('token')?.startsWith('member');
    if (member) room.add(socket);
    socket.on('close', () => room.delete(socket));
    socket.on('message', raw => {
      // What a chat server does at the least: read the frame, shape the event, send it to the room.
      const frame = JSON.parse(raw.toString()) as { data: { content: string } };
      const text = JSON.stringify({ type: 'broadcast_group', eventType: 'message.dispatch', data: { content: frame.data.content, sent_at: Date.now() } });
      for (const peer of room) peer.send(text);
    });
  });
  const port = await listen(server);
  return {
    port,
    members: Array.from({ length: MEMBERS }, (_, i) => `member-${i}`),
    idle: Array.from({ length: idleCount }, (_, i) => `idle-${i}`),
    room: 'room',
  };
}

countRoundTrips();
const ready = kind === 'baseline' ? await baselineServer() : await packageServer();
answerStats();
process.send!({ ready });
