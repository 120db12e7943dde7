/**
 * Recovery: a client that reconnects says where it stopped in each room and receives exactly
 * what it missed, in order, then live events; too far behind, it is told to refetch.
 */
import test from 'ava';
import { defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';

// No REST rate limit: the tests send a hundred messages as one user to have something to miss.
const chat = useChatServer(defineChatSettings(), {}, [], { rateLimit: null });
const short = useChatServer(defineChatSettings({ eventRetention: 30 }), {}, [], { rateLimit: null });

test('reconnecting after missing 100 events: exactly those, in order, then live ones', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const before = await chat.connect(alice!);
  const seen = await before.request('message.send', { room_id: room, content: 'last one I saw' });
  await before.close();
  for (let i = 0; i < 100; i++) await send(chat, bob!, room, `missed ${i}`);
  const socket = await chat.connect(alice!, { resume: true });
  // Live messages keep coming while the client resumes.
  const live = (async () => {
    for (let i = 0; i < 20; i++) await send(chat, bob!, room, `live ${i}`);
  })();
  socket.send({ event_type: 'session.resume', data: { rooms: { [room]: seen.seq } }, id: 'resume' });
  const last = seen.seq + 120;
  await socket.until(f => f.room_id === room && f.seq === last, 20_000, `seq ${last}`);
  await live;
  const frames = socket.frames.filter(f => f.room_id === room && f.seq !== undefined);
  t.deepEqual(
    frames.map(f => f.seq),
    Array.from({ length: 120 }, (_, i) => seen.seq + 1 + i),
  );
  t.deepEqual(frames.slice(0, 100).map(f => f.data.content), Array.from({ length: 100 }, (_, i) => `missed ${i}`));
  t.deepEqual(frames.slice(100).map(f => f.data.content), Array.from({ length: 20 }, (_, i) => `live ${i}`));
  const complete = socket.frames.find(f => f.eventType === 'resume.complete');
  t.is(complete.id, 'resume');
  t.deepEqual(complete.data.refetch, []);
  t.deepEqual(complete.data.gone, []);
  t.true(complete.data.rooms[room] >= seen.seq + 100);
  // Everything missed came before the completion notice.
  const missedEnd = socket.frames.findIndex(f => f.room_id === room && f.seq === seen.seq + 100);
  t.true(missedEnd < socket.frames.indexOf(complete));
});

test('a resumed room left meanwhile is listed as gone; a bad resume is a 4003', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const kept = await group(chat, alice!, [bob!]);
  await chat.call(alice!, 'DELETE', `/rooms/${room}/members/${bob!.id}`);
  const socket = await chat.connect(bob!, { resume: true });
  const complete = await socket.request('session.resume', { rooms: { [room]: 1, [kept]: 1 } });
  t.is(complete.eventType, 'resume.complete');
  t.deepEqual(complete.data.gone, [room]);
  t.is(typeof complete.data.rooms[kept], 'number');
  const bad = await socket.request('session.resume', { rooms: { 'not-a-room': 'x' } });
  t.is(bad.error.code, 4003);
  t.true(socket.open);
});

test('without a held start, rooms that already got live events are listed to refetch, not replayed out of order', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const quiet = await group(chat, alice!, [bob!]);
  const first = await send(chat, alice!, room, 'one');
  const firstQuiet = await send(chat, alice!, quiet, 'q1');
  await send(chat, alice!, quiet, 'q2');
  const socket = await chat.connect(bob!);
  await send(chat, alice!, room, 'live');
  await socket.until(f => f.room_id === room && f.data?.content === 'live');
  const rows = await chat.orm.em.fork().getConnection().execute('select event_seq from chat_room where id = ?', [quiet]);
  const complete = await socket.request('session.resume', { rooms: { [room]: 0, [quiet]: Number(rows[0].event_seq) - 1 } });
  t.deepEqual(complete.data.refetch, [room]);
  const replayed = socket.frames.filter(f => f.room_id === quiet);
  t.deepEqual(replayed.map(f => f.data.content), ['q2']);
  t.true(first.id !== undefined && firstQuiet.id !== undefined);
});

test('too far behind the kept log: told to refetch over REST, then live events flow', async t => {
  const [alice, bob] = await short.users('alice', 'bob');
  const room = await group(short, alice!, [bob!]);
  const before = await short.connect(alice!);
  const seen = await before.request('message.send', { room_id: room, content: 'seen' });
  await before.close();
  for (let i = 0; i < 50; i++) await send(short, bob!, room, `missed ${i}`);
  const socket = await short.connect(alice!, { resume: true });
  const complete = await socket.request('session.resume', { rooms: { [room]: seen.seq } });
  t.deepEqual(complete.data.refetch, [room]);
  const refetch = socket.frames.find(f => f.eventType === 'resume.refetch');
  t.like(refetch.data, { room_id: room, after_seq: seen.seq });
  t.false(socket.frames.some(f => f.eventType === 'message.dispatch'));
  await send(short, bob!, room, 'live');
  t.is((await socket.event('message.dispatch')).data.content, 'live');
});

test('a held start ends at the first other request, or after the hold time, so old habits still work', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const socket = await chat.connect(alice!, { resume: true });
  await send(chat, bob!, room, 'held');
  t.false((await socket.unread(150)).some(f => f.eventType === 'message.dispatch'));
  socket.send({ event_type: 'room.list' });
  t.is((await socket.event('message.dispatch')).data.content, 'held');
});
