/**
 * Bad input never kills the server: each case below gets an error frame with a code and leaves
 * the socket usable, or closes it with a documented code; the server keeps serving everyone else.
 */
import test from 'ava';
import { defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { serverServes } from './helpers/server-serves.js';
import { group } from './helpers/rooms.js';
import type { TestSocket } from './helpers/ws-client.js';

const chat = useChatServer(defineChatSettings(), { maxPayload: 16 * 1024, rateLimit: { burst: 20, perSecond: 10 } });
const roomy = useChatServer(defineChatSettings(), { maxBufferedBytes: 256 * 1024, rateLimit: { burst: 10_000, perSecond: 10_000 }, maxQueuedFrames: 10_000 });

/** Sends a raw frame and returns the error frame that answers it. */
async function errorFor(socket: TestSocket, raw: string | Buffer): Promise<any> {
  socket.ws.send(raw);
  return socket.until(frame => 'error' in frame, 5000, `the error for ${String(raw).slice(0, 60)}`);
}

const MALFORMED: [string, string, string][] = [
  ['malformed JSON', '{"event_type": "message.send", ', 'Malformed JSON.'],
  ['an empty frame', '', 'Malformed JSON.'],
  ['a JSON array', '[1, 2, 3]', 'A frame must be a JSON object.'],
  ['a JSON string', '"message.send"', 'A frame must be a JSON object.'],
  ['JSON null', 'null', 'A frame must be a JSON object.'],
  ['no event_type', '{"data": {}}', '"event_type" must be a non-empty string.'],
  ['a numeric event_type', '{"event_type": 7}', '"event_type" must be a non-empty string.'],
  ['data as a list', '{"event_type": "room.list", "data": []}', '"data" must be an object.'],
  ['data as a string', '{"event_type": "room.list", "data": "x"}', '"data" must be an object.'],
];

for (const [name, raw, detail] of MALFORMED) {
  test(`${name}: 4003 and the socket stays usable`, async t => {
    const [alice] = await chat.users('alice');
    const socket = await chat.connect(alice!);
    const error = await errorFor(socket, raw);
    t.deepEqual(error, { error: { code: 4003, detail } });
    t.is((await socket.request('room.list', {})).eventType, 'roomlist.dispatch');
  });
}

test('JSON nested deeper than the input limit is a 4003, however small the frame', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  const deep = `{"event_type":"room.list","id":"deep","data":{"x":${'['.repeat(7000)}${']'.repeat(7000)}}}`;
  socket.ws.send(deep);
  const error = await socket.until(frame => frame.id === 'deep');
  t.is(error.error.code, 4003);
  t.is((await socket.request('room.list', {})).eventType, 'roomlist.dispatch');
});

test('the request id comes back on a frame error when it could be read', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  t.deepEqual(await errorFor(socket, '{"event_type": 1, "id": "x1"}'), { error: { code: 4003, detail: '"event_type" must be a non-empty string.' }, id: 'x1' });
});

test('unknown actions, including names of methods and object internals, are 4003', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  for (const eventType of ['message.explode', 'connect', 'receive', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    t.deepEqual(await errorFor(socket, JSON.stringify({ event_type: eventType, data: {} })), { error: { code: 4003, detail: 'invalid event type' } }, eventType);
  }
});

test('wrong types in data are field errors (4003)', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const socket = await chat.connect(alice!);
  const cases: [string, unknown, string][] = [
    ['message.send', { room_id: 42, content: 'x' }, 'room_id'],
    ['message.send', { room_id: room, content: { html: 'x' } }, 'content'],
    ['message.send', { room_id: room, content: 'x', extra_fields: { media: 'not a list' } }, 'media'],
    ['message.send', { room_id: room, content: 'x'.repeat(10_001) }, 'content'],
    ['message.read', { message_id: { id: 1 } }, 'message_id'],
    ['message.react', { type: 'explode', message_id: room }, 'type'],
    ['message.modify', { action: 'shred', message_id: room }, 'action'],
    ['room.add_members', { room_id: room, members: 'bob' }, 'members'],
    ['room.messages', { room_id: room, paginate: 'all' }, 'paginate'],
    ['room.messages', { room_id: room, paginate: { page: -1, size: 5 } }, 'page'],
    ['room.create', { type: 'GroupChat', name: 7 }, 'name'],
    ['room.modify', { room_id: room, action: 'update', data: { name: ['x'] } }, 'name'],
  ];
  for (const [eventType, data, field] of cases) {
    const error = await errorFor(socket, JSON.stringify({ event_type: eventType, data }));
    t.is(error.error.code, 4003, `${eventType} ${JSON.stringify(data).slice(0, 50)}`);
    t.true(JSON.stringify(error.error.detail).includes(field), `${eventType}: ${JSON.stringify(error.error.detail)}`);
  }
  t.true(socket.open);
});

test('actions on rooms the user cannot see are 4002, and leak nothing', async t => {
  const [alice, eve] = await chat.users('alice', 'eve');
  const room = await group(chat, alice!, []);
  const owner = await chat.connect(alice!);
  const secret = await owner.request('message.send', { room_id: room, content: 'secret' });
  const socket = await chat.connect(eve!);
  const cases: [string, unknown][] = [
    ['message.send', { room_id: room, content: 'x' }],
    ['message.typing', { room_id: room }],
    ['message.read', { message_id: secret.data.id }],
    ['message.react', { type: 'add', message_id: secret.data.id, reaction_content: '👀' }],
    ['message.modify', { action: 'update', message_id: secret.data.id, extra_fields: { content: 'mine' } }],
    ['room.info', { room_id: room }],
    ['room.messages', { room_id: room }],
    ['room.history', { room_id: room }],
    ['room.add_members', { room_id: room, members: [eve!.id] }],
    ['presence.query', { room_id: room }],
  ];
  for (const [eventType, data] of cases) {
    const error = await errorFor(socket, JSON.stringify({ event_type: eventType, data }));
    t.is(error.error.code, 4002, eventType);
    t.false(JSON.stringify(error).includes('secret'));
  }
  t.false((await owner.unread(100)).some(f => f.eventType === 'messagetyping.dispatch'));
});

test('a binary frame is a 4003', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  t.deepEqual(await errorFor(socket, Buffer.from([0, 1, 2, 3])), { error: { code: 4003, detail: 'Binary frames are not accepted: send JSON text.' } });
  t.true(socket.open);
});

test('a frame over maxPayload closes that socket with 1009; the server serves on', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  socket.send({ event_type: 'message.send', data: { content: 'x'.repeat(20 * 1024) } });
  t.is((await socket.closed).code, 1009);
  await serverServes(t, chat);
});

test('invalid UTF-8 in a text frame closes that socket with 1007', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  socket.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  t.is((await socket.closed).code, 1007);
  await serverServes(t, chat);
});

test('flooding: past the burst each frame gets 4029; a socket that keeps going is closed with 1008', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  for (let i = 0; i < 25; i++) socket.send({ event_type: 'session.heartbeat', data: {} });
  const limited = await socket.until(frame => frame.error?.code === 4029);
  t.regex(limited.error.detail, /Rate limit exceeded/);
  // After a pause the bucket refills and the socket works again.
  await new Promise(resolve => setTimeout(resolve, 1200));
  t.is((await socket.request('room.list', {})).eventType, 'roomlist.dispatch');
  for (let i = 0; i < 200; i++) socket.send({ event_type: 'session.heartbeat', data: {} });
  t.is((await socket.closed).code, 1008);
  await serverServes(t, chat);
});

test('a client that stops reading is dropped with 4009 past the buffer limit; the others keep receiving', async t => {
  const [alice, bob, carol] = await roomy.users('alice', 'bob', 'carol');
  const room = await group(roomy, alice!, [bob!, carol!]);
  const sender = await roomy.connect(alice!);
  const reader = await roomy.connect(carol!);
  const slow = await roomy.connect(bob!);
  const open = roomy.realtime.connectionCount();
  (slow.ws as any)._socket.pause();
  const content = 'y'.repeat(9000);
  let sent = 0;
  while (roomy.realtime.connectionCount() === open && sent < 3000) {
    for (let i = 0; i < 50; i++) sender.send({ event_type: 'message.send', data: { room_id: room, content } });
    sent += 50;
    await sender.until(frame => frame.eventType === 'message.dispatch' && sender.frames.filter(f => f.eventType === 'message.dispatch').length >= sent, 20_000);
  }
  t.is(roomy.realtime.connectionCount(), open - 1, `still ${roomy.realtime.connectionCount()} sockets after ${sent} messages`);
  (slow.ws as any)._socket.resume();
  t.true([4009, 1006].includes((await slow.closed).code));
  await reader.until(frame => reader.frames.filter(f => f.eventType === 'message.dispatch').length >= sent, 20_000);
  t.is(reader.frames.filter(f => f.eventType === 'message.dispatch').length, sent);
});
