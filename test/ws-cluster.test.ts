/**
 * Many processes, one chat, on the Redis channel layer: a message sent to one process reaches
 * sockets on the other, presence holds across them, and a Redis restart loses nothing committed.
 * Each test has a Redis of its own that it may kill.
 */
import anyTest, { type TestFn } from 'ava';
import type { MikroORM } from '@mikro-orm/core';
import { defineChatSettings, tokenAuthentication, type AbstractUser } from '../src/index.js';
import { chatDatabase, TOKEN_SECRET } from './helpers/chat-server.js';
import { startNodes, type ChatNode } from './helpers/cluster.js';
import type { TestDatabase } from './helpers/database.js';
import { createUsers } from './helpers/factories.js';
import { REDIS_AVAILABLE, startRedis, type TestRedis } from './helpers/redis-server.js';

const settings = defineChatSettings();
const test = (REDIS_AVAILABLE ? anyTest : anyTest.skip) as TestFn<{ redis: TestRedis; nodes: ChatNode[] }>;
let orm: MikroORM;
let database: TestDatabase;

anyTest.before(async () => {
  if (!REDIS_AVAILABLE) return;
  ({ orm, database } = await chatDatabase(settings));
});
anyTest.after.always(async () => {
  await orm?.close(true);
  await database?.drop();
});
test.beforeEach(async t => {
  t.context.redis = await startRedis();
  t.context.nodes = await startNodes(2, database, orm, settings, t.context.redis.url);
});
test.afterEach.always(async t => {
  await Promise.all((t.context.nodes ?? []).map(node => node.stop()));
  await t.context.redis?.kill().catch(() => {});
});

const tokens = () => tokenAuthentication(orm, TOKEN_SECRET);

/** A REST call to a node. */
async function call(node: ChatNode, user: AbstractUser, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens().issue(user.id)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

test.serial('a message sent to one process reaches sockets on the other, once', async t => {
  const [a, b] = t.context.nodes;
  const [alice, bob] = await createUsers(orm.em.fork(), 'alice', 'bob');
  const room = (await call(a!, alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'G', participants: [bob!.id] })).id;
  const aliceOnA = await a!.connect(alice!);
  const bobOnB = await b!.connect(bob!);
  const bobOnA = await a!.connect(bob!);
  const sent = await aliceOnA.request('message.send', { room_id: room, content: 'across' });
  for (const socket of [bobOnB, bobOnA]) {
    const got = await socket.event('message.dispatch');
    t.is(got.data.content, 'across');
    t.is(got.seq, sent.seq);
  }
  await call(b!, bob!, 'POST', `/rooms/${room}/messages`, { content: 'back' });
  t.is((await aliceOnA.event('message.dispatch')).data.content, 'back');
  t.false((await bobOnB.unread(200)).some(f => f.data?.content === 'across'));
  // A user event too: the delivery ack reaches the sender's socket on the other process.
  bobOnB.send({ event_type: 'message.acknowledged', data: { message_id: sent.data.id } });
  t.is((await aliceOnA.event('messagedelivered.dispatch')).data[0].id, sent.data.id);
});

test.serial('presence holds across processes', async t => {
  const [a, b] = t.context.nodes;
  const [alice, bob] = await createUsers(orm.em.fork(), 'alice', 'bob');
  const room = (await call(a!, alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'G', participants: [bob!.id] })).id;
  const watcher = await b!.connect(bob!, { presence: true });
  const aboutAlice = (f: any) => f.eventType === 'presence.dispatch' && f.data.user_id === alice!.id;
  const phone = await a!.connect(alice!);
  t.like((await watcher.until(aboutAlice)).data, { status: 'online' });
  const laptop = await b!.connect(alice!);
  const state = await watcher.request('presence.query', { room_id: room });
  t.is(state.data.users.find((u: any) => u.user_id === alice!.id).status, 'online');
  await phone.close();
  t.deepEqual((await watcher.unread(500)).filter(aboutAlice), []);
  await laptop.close();
  t.like((await watcher.until(aboutAlice)).data, { status: 'offline' });
});

test.serial('Redis restarted mid-conversation: delivery resumes and the gap is filled, in order, once', async t => {
  const [a, b] = t.context.nodes;
  const [alice, bob] = await createUsers(orm.em.fork(), 'alice', 'bob');
  const room = (await call(a!, alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'G', participants: [bob!.id] })).id;
  const bobOnB = await b!.connect(bob!);
  const first = await call(a!, alice!, 'POST', `/rooms/${room}/messages`, { content: 'before' });
  await bobOnB.until(f => f.data?.id === first.id);
  await t.context.redis.kill();
  // Committed while Redis is down: process A's own sockets hear it, process B cannot yet.
  for (let i = 0; i < 5; i++) await call(a!, alice!, 'POST', `/rooms/${room}/messages`, { content: `during ${i}` });
  await t.context.redis.start();
  for (let i = 0; i < 5; i++) await call(a!, alice!, 'POST', `/rooms/${room}/messages`, { content: `after ${i}` });
  const expected = ['before', ...[0, 1, 2, 3, 4].map(i => `during ${i}`), ...[0, 1, 2, 3, 4].map(i => `after ${i}`)];
  await bobOnB.until(f => f.data?.content === 'after 4', 20_000);
  const got = bobOnB.frames.filter(f => f.eventType === 'message.dispatch');
  t.deepEqual(got.map(f => f.data.content), expected);
  const seqs = got.map(f => f.seq);
  t.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i));
});
