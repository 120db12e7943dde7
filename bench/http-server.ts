/**
 * One server of the HTTP benchmark, run in its own process (forked, with an IPC channel):
 * `package` (the chat API over MikroORM), `package-custom` (the same with the guide's custom message
 * swapped in) or `baseline` (a bare Koa route doing the one INSERT or SELECT with pg). Sends `{ ready: '<port> <token> <roomId>' }` once it can take load, and answers
 * `stats` with its CPU time and database round trips so far.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/core';
import { chatApi, chatOrmConfig, createChatEngine, defineChatSettings, model, tokenAuthentication, type AbstractUser, type ChatSettings } from '../src/index.js';
import { answerStats, countRoundTrips } from './process-stats.js';

const [kind, url] = [process.argv[2], process.argv[3]!];
const MESSAGES = 60;

async function listen(app: Koa): Promise<number> {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The settings and entities of the package's server: the defaults, or the guide's custom message (`package-custom`). */
async function packageSetup(): Promise<{ settings: ChatSettings; entities: Function[] }> {
  if (kind !== 'package-custom') return { settings: defineChatSettings(), entities: [] };
  const { settings } = await import('../fixtures/custom-message/settings.js');
  const { CustomMessage } = await import('../fixtures/custom-message/models.js');
  return { settings, entities: [CustomMessage] };
}

async function packageServer(): Promise<string> {
  const { settings, entities } = await packageSetup();
  const orm = await MikroORM.init({ ...(await chatOrmConfig(settings, { database: { url }, entities })), pool: { min: 2, max: 10 }, debug: false });
  await orm.schema.createSchema();
  const em = orm.em.fork();
  const [alice, bob] = ['alice', 'bob'].map(name => em.create(model('User'), { username: `${name}-${randomUUID()}` } as never) as AbstractUser);
  await em.flush();
  const engine = createChatEngine({ orm, settings });
  const room = (await engine.createRoom(alice!, { type: 'GroupChat', name: 'Bench', participants: [bob!.id] })).result.id as string;
  for (let i = 0; i < MESSAGES; i++) await engine.sendMessage(i % 2 ? bob! : alice!, { room_id: room, content: `warm-up message ${i}` });
  const tokens = tokenAuthentication(orm);
  const app = new Koa();
  // One user makes every request: the per-user rate limit would measure itself.
  app.use(chatApi({ orm, settings, authenticate: tokens.authenticate, prefix: '/api', rateLimit: null }));
  return `${await listen(app)} ${tokens.issue(alice!.id)} ${room}`;
}

async function baselineServer(): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('create table if not exists bench_message (id uuid primary key, room_id uuid not null, sender_id uuid not null, content text not null, created_at timestamptz not null default now())');
  await pool.query('create index if not exists bench_message_room_created on bench_message (room_id, created_at desc)');
  const room = randomUUID();
  const sender = randomUUID();
  for (let i = 0; i < MESSAGES; i++) await pool.query('insert into bench_message (id, room_id, sender_id, content) values ($1, $2, $3, $4)', [randomUUID(), room, sender, `warm-up message ${i}`]);
  const app = new Koa();
  app.use(async ctx => {
    const roomId = ctx.path.split('/')[3];
    if (ctx.method === 'POST') {
      let body = '';
      for await (const chunk of ctx.req) body += chunk;
      const { content } = JSON.parse(body) as { content: string };
      const { rows } = await pool.query('insert into bench_message (id, room_id, sender_id, content) values ($1, $2, $3, $4) returning *', [randomUUID(), roomId, sender, content]);
      ctx.status = 201;
      ctx.body = rows[0];
    } else {
      const { rows } = await pool.query('select * from bench_message where room_id = $1 order by created_at desc limit 50', [roomId]);
      ctx.body = { results: rows };
    }
  });
  return `${await listen(app)} none ${room}`;
}

// Exit on a signal, so that profilers (--cpu-prof) write their output.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
countRoundTrips();
const ready = kind === 'baseline' ? await baselineServer() : await packageServer();
answerStats();
process.send!({ ready });
