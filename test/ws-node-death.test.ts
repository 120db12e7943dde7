/**
 * A process that dies (`kill -9`: no socket closed, no row deleted) leaves nothing behind for
 * long: within one ping interval its users who did not come back are offline on the other
 * process and its session rows are gone, while users who reconnected at once show no change. A
 * process frozen past its lease is taken for dead, and puts its rows and users back when it thaws.
 * Needs PostgreSQL (separate processes share the database) and redis-server.
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
const runnable = REDIS_AVAILABLE && !!process.env.DATABASE_URL;
const test = (runnable ? anyTest.serial : anyTest.skip) as TestFn<{ redis: TestRedis; nodes: ChatNode[] }>;
/** The nodes' ping interval: a dead node's users must be offline within it. */
const PING_MS = 4000;
let orm: MikroORM;
let database: TestDatabase;

anyTest.before(async () => {
  if (!runnable) return;
  ({ orm, database } = await chatDatabase(settings));
});
anyTest.after.always(async () => {
  await orm?.close(true);
  await database?.drop();
});
anyTest.beforeEach(async t => {
  if (!runnable) return;
  const context = t.context as { redis: TestRedis; nodes: ChatNode[] };
  context.redis = await startRedis();
  context.nodes = await startNodes(2, database, orm, settings, context.redis.url, { pingIntervalMs: PING_MS, presenceIntervalMs: null });
});
anyTest.afterEach.always(async t => {
  const context = t.context as Partial<{ redis: TestRedis; nodes: ChatNode[] }>;
  for (const node of context.nodes ?? []) node.freeze(false);
  await Promise.all((context.nodes ?? []).map(node => node.stop()));
  await context.redis?.kill().catch(() => {});
});

const sessionsOf = async (user: AbstractUser) =>
  Number((await orm.em.fork().getConnection().execute('select count(*)::int as n from chat_session where user_id = ?', [user.id]))[0].n);

async function groupOf(node: ChatNode, owner: AbstractUser, others: AbstractUser[]): Promise<string> {
  const response = await fetch(`${node.url}/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenAuthentication(orm, TOKEN_SECRET).issue(owner.id)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'GroupChat', name: 'G', participants: others.map(user => user.id) }),
  });
  return ((await response.json()) as { id: string }).id;
}

const about = (user: AbstractUser) => (frame: any) => frame.eventType === 'presence.dispatch' && frame.data.user_id === user.id;

test('killed with SIGKILL: its users go offline within one ping interval, its rows go, and a user back at once shows no change', async t => {
  const [a, b] = t.context.nodes;
  const [alice, carol, bob] = await createUsers(orm.em.fork(), 'alice', 'carol', 'bob');
  const room = await groupOf(b!, bob!, [alice!, carol!]);
  const watcher = await b!.connect(bob!, { presence: true });
  const aliceOnA = await a!.connect(alice!);
  const carolOnA = await a!.connect(carol!);
  await watcher.until(about(alice!));
  await watcher.until(about(carol!));
  t.is(await sessionsOf(alice!), 1);

  const killedAt = Date.now();
  await a!.kill();
  // Carol's client reconnects to the survivor at once; Alice's never comes back.
  await carolOnA.closed;
  await aliceOnA.closed;
  const carolOnB = await b!.connect(carol!);
  t.true(Date.now() - killedAt < 1000, 'carol was back within a second');

  const offline = await watcher.until(about(alice!), PING_MS + 2000);
  const elapsed = Date.now() - killedAt;
  t.like(offline.data, { user_id: alice!.id, status: 'offline' });
  t.true(elapsed <= PING_MS, `alice went offline ${elapsed} ms after the kill; the ping interval is ${PING_MS} ms`);
  t.deepEqual((await watcher.unread(1000)).filter(about(carol!)), [], 'carol, back at once, never showed a change');

  const state = await watcher.request('presence.query', { room_id: room });
  const statusOf = (user: AbstractUser) => state.data.users.find((u: any) => u.user_id === user.id).status;
  t.is(statusOf(alice!), 'offline');
  t.is(statusOf(carol!), 'online');
  t.is(await sessionsOf(alice!), 0, "the dead process's row of alice is gone");
  t.is(await sessionsOf(carol!), 1, 'carol has the row of her new socket only');
  t.is(await sessionsOf(bob!), 1, "the survivor's rows are kept");
  await carolOnB.close();
});

test('frozen past its lease: taken for dead, then its rows and its users come back when it thaws', async t => {
  const [a, b] = t.context.nodes;
  const [alice, bob] = await createUsers(orm.em.fork(), 'alice', 'bob');
  const room = await groupOf(b!, bob!, [alice!]);
  const watcher = await b!.connect(bob!, { presence: true });
  const aliceOnA = await a!.connect(alice!);
  await watcher.until(about(alice!));

  a!.freeze(true);
  t.like((await watcher.until(about(alice!), PING_MS + 2000)).data, { status: 'offline' });
  // Presence may lapse a little before the lease does: the rows go once a survivor claims it.
  const swept = Date.now() + 5000;
  while ((await sessionsOf(alice!)) > 0 && Date.now() < swept) await new Promise(resolve => setTimeout(resolve, 100));
  t.is(await sessionsOf(alice!), 0, "the frozen process's row of alice is swept");
  a!.freeze(false);

  t.like((await watcher.until(about(alice!), 5000)).data, { status: 'online' });
  const deadline = Date.now() + 5000;
  while ((await sessionsOf(alice!)) === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
  t.is(await sessionsOf(alice!), 1, "alice's socket has its row again");
  // The socket lived through it all.
  const sent = await aliceOnA.request('message.send', { room_id: room, content: 'still here' });
  t.is(sent.data.content, 'still here');
  t.is((await watcher.event('message.dispatch')).data.content, 'still here');
});
