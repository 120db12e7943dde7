/**
 * Presence is per user across devices, for the clients that ask for it; sessions are one row per
 * socket, kept fresh by heartbeats; silent sockets and expired sessions are cleaned up.
 */
import test from 'ava';
import type { AbstractSqlConnection } from '@mikro-orm/postgresql';
import { defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group } from './helpers/rooms.js';

const chat = useChatServer(defineChatSettings(), { pingIntervalMs: 250 });
// No pings: only frames keep these sessions active (pings at the default 25 s would draw a warning against a 1 s threshold).
const strict = useChatServer(defineChatSettings({ inactivityThreshold: 1 }), { pingIntervalMs: 0 });
const pinging = useChatServer(defineChatSettings({ inactivityThreshold: 1 }), { pingIntervalMs: 200 });

const sessions = async (userId: string) =>
  Number((await chat.orm.em.fork().getConnection().execute('select count(*)::int as n from chat_session where user_id = ?', [userId]))[0].n);

test('presence: online with the first device, offline after the last, only to clients that asked', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const room = await group(chat, alice!, [bob!, carol!]);
  const watcher = await chat.connect(bob!, { presence: true });
  const oldClient = await chat.connect(carol!);
  const aboutAlice = (f: any) => f.eventType === 'presence.dispatch' && f.data.user_id === alice!.id;
  const phone = await chat.connect(alice!);
  const online = await watcher.until(aboutAlice);
  t.like(online.data, { user_id: alice!.id, username: alice!.username, status: 'online' });
  const laptop = await chat.connect(alice!);
  await phone.close();
  t.deepEqual((await watcher.unread(300)).filter(aboutAlice), []);
  const state = await watcher.request('presence.query', { room_id: room });
  t.deepEqual(
    state.data.users.filter((u: any) => u.user_id === alice!.id).map((u: any) => u.status),
    ['online'],
  );
  await laptop.close();
  const offline = await watcher.until(aboutAlice);
  t.like(offline.data, { user_id: alice!.id, status: 'offline' });
  t.truthy(Date.parse(offline.data.last_seen));
  t.false(oldClient.frames.some(f => f.eventType === 'presence.dispatch'));
});

test('a device that stops answering pings is cut off, and its user goes offline', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  await group(chat, alice!, [bob!]);
  const watcher = await chat.connect(bob!, { presence: true });
  const silent = await chat.connect(alice!);
  t.like((await watcher.event('presence.dispatch')).data, { status: 'online' });
  (silent.ws as any)._socket.pause(); // no pongs from here on
  t.like((await watcher.event('presence.dispatch', 5000)).data, { user_id: alice!.id, status: 'offline' });
  t.is(await sessions(alice!.id), 0);
});

test('one session row per socket, gone when the socket closes', async t => {
  const [alice] = await chat.users('alice');
  const devices = await Promise.all([1, 2, 3].map(() => chat.connect(alice!)));
  t.is(await sessions(alice!.id), 3);
  const rows = await chat.orm.em.fork().getConnection().execute('select channel_name from chat_session where user_id = ?', [alice!.id]);
  t.is(new Set(rows.map((r: any) => r.channel_name)).size, 3);
  await devices[0]!.close();
  await new Promise(resolve => setTimeout(resolve, 200));
  t.is(await sessions(alice!.id), 2);
});

test('sockets closing together remove their session rows in a shared statement, not one each', async t => {
  const users = await chat.users(...Array.from({ length: 20 }, (_, i) => `closer${i}`));
  const sockets = await Promise.all(users.map(user => chat.connect(user)));
  const ids = users.map(user => user.id);
  const open = async () => Number((await chat.orm.em.fork().getConnection().execute('select count(*)::int as n from chat_session where user_id in (?)', [ids]))[0].n);
  t.is(await open(), 20);
  const knex = (chat.orm.em.getConnection() as AbstractSqlConnection).getKnex();
  let deletes = 0;
  const count = (query: { sql: string }) => void (/^delete from "chat_session"/.test(query.sql) && deletes++);
  knex.on('query', count);
  try {
    await Promise.all(sockets.map(socket => socket.close()));
    const deadline = Date.now() + 5000;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  } finally {
    knex.off('query', count);
  }
  t.is(await open(), 0, 'every row is gone');
  t.true(deletes >= 1 && deletes <= 5, `${deletes} DELETE statements for 20 sockets`);
});

test('a socket without heartbeats past the inactivity threshold is closed with 4008; one that beats stays', async t => {
  const [alice, bob] = await strict.users('alice', 'bob');
  const quiet = await strict.connect(alice!);
  const beating = await strict.connect(bob!);
  const timer = setInterval(() => beating.send({ event_type: 'session.heartbeat', data: {} }), 250);
  try {
    t.is((await quiet.closed).code, 4008);
    await new Promise(resolve => setTimeout(resolve, 1500));
    t.true(beating.open);
  } finally {
    clearInterval(timer);
  }
});

test('a client that never sends a frame but answers pings (as the original\'s example clients do) stays active', async t => {
  const [alice] = await pinging.users('alice');
  const silent = await pinging.connect(alice!);
  const lastSeen = async () =>
    new Date((await pinging.orm.em.fork().getConnection().execute('select last_seen from chat_session where user_id = ?', [alice!.id]))[0].last_seen).getTime();
  let pings = 0;
  silent.ws.on('ping', () => pings++);
  const first = await lastSeen();
  await new Promise(resolve => setTimeout(resolve, 2500));
  t.true(silent.open, JSON.stringify(silent.open ? null : await silent.closed));
  t.true((await lastSeen()) > first, 'the pongs moved lastSeen on');
  // One ping per interval (about 12 in 2.5 s), not one per tick of the interval.
  t.true(pings >= 1 && pings <= 20, `${pings} pings`);
});

test('expired session rows (a process that died) are swept', async t => {
  const [alice] = await strict.users('alice');
  const connection = strict.orm.em.fork().getConnection();
  await connection.execute(`insert into chat_session (user_id, channel_name, last_seen) values (?, 'gone-node:socket', now() - interval '1 hour')`, [alice!.id]);
  await new Promise(resolve => setTimeout(resolve, 1500));
  const left = await connection.execute('select count(*)::int as n from chat_session where user_id = ?', [alice!.id]);
  t.is(left[0].n, 0);
});

test("the sweep of expired sessions never takes an open socket's row, however long ago it was written", async t => {
  const [alice, ghost] = await chat.users('alice', 'ghost');
  const socket = await chat.connect(alice!);
  await chat.orm.em.fork().getConnection().execute(`insert into chat_session (user_id, channel_name, last_seen) values (?, 'dead-node:x', now() - interval '1 hour')`, [ghost!.id]);
  // As if the socket's set-up had taken longer than the threshold: its row is old too.
  await chat.orm.em.fork().getConnection().execute(`update chat_session set last_seen = now() - interval '1 hour' where user_id = ?`, [alice!.id]);
  await chat.realtime.sessions.expire(60);
  t.is(await sessions(alice!.id), 1, 'the open socket keeps its row');
  t.is(await sessions(ghost!.id), 0, "a dead process's row goes");
  await socket.close();
});
