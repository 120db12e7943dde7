/**
 * Delivery: every event reaches every device of every member exactly once, in order, whatever
 * mix of WebSocket and REST writes them; a cursor puts out-of-order and repeated events right.
 */
import test from 'ava';
import { defineChatSettings, toRoom, recordRoomEvents } from '../src/index.js';
import { RoomCursor, type NumberedEvent } from '../src/realtime/room-cursor.js';
import { RoomLogReader } from '../src/realtime/room-log-reader.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';
import type { TestSocket } from './helpers/ws-client.js';
import { RecordingLogger } from './helpers/recording-logger.js';

const logger = new RecordingLogger();
const chat = useChatServer(defineChatSettings(), { logger });

/** The room's numbered frames a socket got, once it has the one numbered `last`. */
async function roomFrames(socket: TestSocket, roomId: string, last: number): Promise<any[]> {
  await socket.until(frame => frame.room_id === roomId && frame.seq === last, 15_000, `seq ${last}`);
  return socket.frames.filter(frame => frame.room_id === roomId && frame.seq !== undefined);
}

async function latestSeq(roomId: string): Promise<number> {
  const rows = await chat.orm.em.fork().getConnection().execute('select event_seq from chat_room where id = ?', [roomId]);
  return Number(rows[0].event_seq);
}

test('two users with three devices each: every room event on every device, once, in order', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const start = await latestSeq(room);
  const devices = [
    ...(await Promise.all([1, 2, 3].map(() => chat.connect(alice!)))),
    ...(await Promise.all([1, 2, 3].map(() => chat.connect(bob!)))),
  ];
  // 60 messages from all six devices and from REST at once, then an edit and reactions on some.
  const sends = [];
  for (let i = 0; i < 10; i++) {
    devices.forEach((device, d) => device.send({ event_type: 'message.send', data: { room_id: room, content: `ws ${d}-${i}` } }));
  }
  for (let i = 0; i < 10; i++) sends.push(send(chat, i % 2 ? alice! : bob!, room, `rest ${i}`));
  const restMessages = await Promise.all(sends);
  devices[0]!.send({ event_type: 'message.modify', data: { action: 'update', message_id: restMessages[1].id, extra_fields: { content: 'edited' } } });
  devices[4]!.send({ event_type: 'message.react', data: { type: 'add', message_id: restMessages[0].id, reaction_content: '🎉' } });
  // 60 + 10 + 1 + 1 events, numbered after the room's creation.
  const last = start + 72;
  await t.notThrowsAsync(async () => {
    while ((await latestSeq(room)) < last) await new Promise(resolve => setTimeout(resolve, 50));
  });
  t.is(await latestSeq(room), last);
  const expected = Array.from({ length: 72 }, (_, i) => start + 1 + i);
  const received = await Promise.all(devices.map(device => roomFrames(device, room, last)));
  for (const frames of received) t.deepEqual(frames.map(f => f.seq), expected);
  // Every device saw the same events, in the same order.
  const first = JSON.stringify(received[0]!.map(f => [f.eventType, f.data.id ?? f.data.message?.id]));
  for (const frames of received) t.is(JSON.stringify(frames.map(f => [f.eventType, f.data.id ?? f.data.message?.id])), first);
  const contents = new Set(received[0]!.filter(f => f.eventType === 'message.dispatch').map(f => f.data.content));
  t.is(contents.size, 70);
  for (let d = 0; d < 6; d++) for (let i = 0; i < 10; i++) t.true(contents.has(`ws ${d}-${i}`));
});

test('user events reach each device of the user once: delivery acks to the sender', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const message = await send(chat, alice!, room, 'hello');
  const senders = await Promise.all([1, 2, 3].map(() => chat.connect(alice!)));
  const receiver = await chat.connect(bob!);
  receiver.send({ event_type: 'message.acknowledged', data: { message_id: message.id } });
  for (const device of senders) {
    const told = await device.event('messagedelivered.dispatch');
    t.is(told.data[0].id, message.id);
    t.false((await device.unread(100)).some(f => f.eventType === 'messagedelivered.dispatch'));
  }
});

test('a new member hears the room from the event that added them', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, []);
  const bobs = await Promise.all([1, 2].map(() => chat.connect(bob!)));
  const admin = await chat.connect(alice!);
  admin.send({ event_type: 'room.add_members', data: { room_id: room, members: [bob!.id] } });
  const added = await admin.event('roomaddmembers.dispatch');
  await send(chat, alice!, room, 'welcome');
  for (const device of bobs) {
    const frames = await roomFrames(device, room, added.seq + 1);
    t.deepEqual(frames.map(f => [f.seq, f.eventType]), [
      [added.seq, 'roomaddmembers.dispatch'],
      [added.seq + 1, 'message.dispatch'],
    ]);
  }
});

test('a cursor sends events given out of order or twice exactly once, in order, from the log', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  // Ten events in the log, numbered in their own transactions.
  const logged: NumberedEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const [event] = await chat.orm.em.fork().transactional(em => recordRoomEvents(em, [toRoom(room, 'test.dispatch', { i })], 1000));
    logged.push({ roomId: room, seq: event!.seq!, eventType: event!.eventType, data: event!.data });
  }
  const sent: NumberedEvent[] = [];
  const refetched: unknown[] = [];
  const owner = { log: new RoomLogReader(chat.orm, 1000, async () => ({ messages: new Map(), rooms: new Map() })), holding: false, open: true, send: (e: NumberedEvent) => sent.push(e), refetch: (...args: unknown[]) => refetched.push(args) };
  const cursor = new RoomCursor(owner, room, logged[0]!.seq - 1);
  // The third arrives first, then the first, the first again, the tenth, the second.
  for (const i of [2, 0, 0, 9, 1]) cursor.offer(logged[i]!);
  await new Promise(resolve => setTimeout(resolve, 50));
  await cursor.idle();
  t.deepEqual(sent.map(e => e.seq), logged.map(e => e.seq));
  t.deepEqual(sent.map(e => (e.data as any).i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual(refetched, []);
});

// Serial: it takes the event log away from the whole database for a moment.
test.serial('an event log that cannot be read for a while takes nothing down; sockets catch up once it is back', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const socket = await chat.connect(alice!);
  await socket.request('room.list', {}); // positioned in its rooms
  const [logged] = await chat.orm.em.fork().transactional(em => recordRoomEvents(em, [toRoom(room, 'test.dispatch', { quiet: true })], 1000));
  const connection = chat.orm.em.getConnection();
  await connection.execute('alter table chat_room_event rename to chat_room_event_away');
  try {
    chat.realtime.hub.resync(); // the cursor sees a newer event and cannot read it
    await new Promise(resolve => setTimeout(resolve, 300));
    t.true(socket.open);
    t.is((await socket.request('room.list', {})).eventType, 'roomlist.dispatch');
    t.false(socket.frames.some(f => f.eventType === 'test.dispatch'));
  } finally {
    await connection.execute('alter table chat_room_event_away rename to chat_room_event');
  }
  const caught = await socket.event('test.dispatch', 5000);
  t.is(caught.seq, logged!.seq);
  // The failed read was reported, once, with the database's own words.
  const reported = logger.take();
  t.deepEqual(reported.map(entry => entry.message), ['reading the room event log failed; sockets will catch up when it is back']);
  t.regex(String(reported[0]!.error), /chat_room_event/);
});

test('replies (room.list, room.info, room.messages, an existing 1:1) reach the asking socket only; REST reads push nothing', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  await send(chat, alice!, room, 'hello');
  const [asking, other] = await Promise.all([chat.connect(alice!), chat.connect(alice!)]);
  t.is((await asking.request('room.list', {})).eventType, 'roomlist.dispatch');
  t.is((await asking.request('room.info', { room_id: room })).eventType, 'roominfo.dispatch');
  t.is((await asking.request('room.messages', { room_id: room })).eventType, 'roommessages.dispatch');
  const direct = { type: 'OneToOneChat', participants: [bob!.id] };
  t.is((await asking.request('room.create', direct)).eventType, 'roomcreate.dispatch');
  // Asking again gives the same chat back, as a reply: nobody else hears of it.
  const again = await asking.request('room.create', direct);
  t.is(again.eventType, 'roomcreate.dispatch');
  for (const [method, path, body] of [
    ['GET', '/rooms'],
    ['GET', `/rooms/${room}`],
    ['GET', `/rooms/${room}/messages`],
    ['POST', '/rooms', direct],
  ] as const) {
    const response = await chat.call(alice!, method, path, body);
    t.true(response.status < 300, `${method} ${path}: ${response.status}`);
  }
  // The other device heard only the first creation of the 1:1 chat (a room event for its members).
  const heard = (await other.unread(300)).map(frame => frame.eventType);
  t.deepEqual(heard, ['roomcreate.dispatch']);
  t.deepEqual((await asking.unread(100)).map(frame => frame.eventType), []);
});

test("a socket's first action is heard by the socket itself: its rooms are positioned before it starts", async t => {
  // Forty members open sockets at once and each sends as soon as its socket is open (the frame waits
  // for the set-up, then runs at once): every one must get its own message back, numbered.
  const users = await chat.users(...Array.from({ length: 40 }, (_, i) => `first${i}`));
  const room = await group(chat, users[0]!, users.slice(1));
  const heard = await Promise.all(
    users.map(async (user, i) => {
      const socket = await chat.connect(user, { first: false });
      socket.send({ event_type: 'message.send', data: { room_id: room, content: `first action ${i}` } });
      await socket.event('chat.notifications');
      const own = await socket.until(frame => frame.eventType === 'message.dispatch' && frame.data.content === `first action ${i}`, 10_000, `message ${i}`);
      return typeof own.seq === 'number';
    }),
  );
  t.deepEqual(heard, users.map(() => true));
});
