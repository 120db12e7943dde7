/**
 * No frame stops the process. A request `id` or `data` nested thousands of levels deep, an id
 * that cannot be echoed, text PostgreSQL refuses, a handler that throws anything, sync or async,
 * and even an exception handler that fails: each ends as an error frame or a close code for that
 * socket alone, and the server goes on serving everyone. What the servers report goes to a
 * recording logger, checked by the tests that provoke it.
 */
import test from 'ava';
import { connect } from 'node:net';
import { ChatConsumer, ExceptionHandler, defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { serverServes } from './helpers/server-serves.js';
import { group } from './helpers/rooms.js';
import { RecordingLogger } from './helpers/recording-logger.js';

/** A consumer whose handlers fail in each way a handler can. */
class FailingConsumer extends ChatConsumer {
  throwSync(): never {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw 'a string, not an Error';
  }

  async rejectLater(): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, 5));
    throw Object.assign(Object.create(null), { not: 'an Error' });
  }
}

/** An exception handler that cannot even build an error frame. */
class BrokenExceptionHandler extends ExceptionHandler {
  override toFrame(): never {
    throw new RangeError('Maximum call stack size exceeded');
  }
}

const eventMapper = { 'test.throw_sync': 'throwSync', 'test.reject_later': 'rejectLater', 'test.throw_in_function': () => { throw new TypeError('x is undefined'); } };
const chatLog = new RecordingLogger();
const brokenLog = new RecordingLogger();
const chat = useChatServer(defineChatSettings({ chatConsumerClass: FailingConsumer, eventMapper }), { logger: chatLog });
const broken = useChatServer(defineChatSettings({ chatConsumerClass: FailingConsumer, eventMapper, exceptionHandlerClass: BrokenExceptionHandler }), { logger: brokenLog });

/** `{"a": {"a": …}}` as text, `depth` levels. */
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const DEEP_IDS: [string, string][] = [
  ['a heartbeat whose id is an object nested 5,000 levels', `{"event_type":"session.heartbeat","id":${deepObject(5000)}}`],
  ['a heartbeat whose id is 10,000 nested arrays', `{"event_type":"session.heartbeat","id":${deepArray(10_000)}}`],
  ['an empty event type with a deep id', `{"event_type":"","id":${deepObject(5000)}}`],
  ['an unknown event type with a deep id', `{"event_type":"no.such.event","id":${deepObject(5000)}}`],
  ['an id that is a 100 kB string', `{"event_type":"session.heartbeat","id":"${'x'.repeat(100_000)}"}`],
  ['an id holding a lone surrogate', '{"event_type":"session.heartbeat","id":"\\ud800"}'],
  ['an id that is true', '{"event_type":"session.heartbeat","id":true}'],
];

for (const [name, raw] of DEEP_IDS) {
  test(`${name}: 4003 without echoing the id, and the socket and server live on`, async t => {
    const [alice] = await chat.users('alice');
    const socket = await chat.connect(alice!);
    socket.ws.send(raw);
    const error = await socket.until(frame => 'error' in frame);
    t.is(error.error.code, 4003);
    t.false('id' in error, 'the id is not sent back');
    t.is((await socket.request('room.list', {}, 'after')).eventType, 'roomlist.dispatch');
    await serverServes(t, chat);
  });
}

test('data nested thousands of levels deep is a 4003 naming the field, with the request id', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const socket = await chat.connect(alice!);
  socket.ws.send(`{"event_type":"message.send","id":"deep","data":{"room_id":"${room}","content":"x","extra_fields":{"metadata":${deepObject(5000)}}}}`);
  const error = await socket.until(frame => frame.id === 'deep');
  t.is(error.error.code, 4003);
  t.deepEqual(Object.keys(error.error.detail), [`extra_fields.metadata${'.a'.repeat(30)}`]);
  socket.ws.send(`{"event_type":"room.list","id":"arrays","data":{"x":${deepArray(10_000)}}}`);
  t.is((await socket.until(frame => frame.id === 'arrays')).error.code, 4003);
  await serverServes(t, chat);
});

test('text PostgreSQL cannot store is a 4003 naming the field, and nothing is stored', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const socket = await chat.connect(alice!);
  for (const content of ['nul\u0000byte', 'lone\ud800surrogate']) {
    const error = await socket.request('message.send', { room_id: room, content });
    t.deepEqual(Object.keys(error.error.detail), ['content']);
  }
  const renamed = await socket.request('room.modify', { room_id: room, action: 'update', data: { name: 'x\u0000' } });
  t.deepEqual(Object.keys(renamed.error.detail), ['data.name']);
  const history = await socket.request('room.messages', { room_id: room });
  t.deepEqual(history.data.data.messages, []);
});

test('a handler that throws anything, sync or async, is a 4006 for that request only', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  for (const eventType of ['test.throw_sync', 'test.reject_later', 'test.throw_in_function']) {
    const error = await socket.request(eventType, {});
    t.deepEqual(error.error, { code: 4006, detail: 'Internal server error.' }, eventType);
  }
  t.true(socket.open);
  // Each is reported with what was thrown, whatever it was; the client only saw "Internal server error".
  const reported = chatLog.take();
  t.deepEqual(reported.map(entry => [entry.level, entry.message]), [
    ['error', "'test.throw_sync' failed"],
    ['error', "'test.reject_later' failed"],
    ['error', "'test.throw_in_function' failed"],
  ]);
  t.is(reported[0]!.error, 'a string, not an Error');
  t.deepEqual({ ...(reported[1]!.error as object) }, { not: 'an Error' });
  t.true(reported[2]!.error instanceof TypeError);
  await serverServes(t, chat);
});

test('when even the error frame cannot be built, that socket closes with 1011 and the server lives on', async t => {
  const [alice] = await broken.users('alice');
  const socket = await broken.connect(alice!);
  socket.ws.send(`{"event_type":"session.heartbeat","id":${deepObject(5000)}}`);
  t.is((await socket.closed).code, 1011);
  const again = await broken.connect(alice!);
  again.send({ event_type: 'test.throw_sync', data: {} });
  t.is((await again.closed).code, 1011);
  const [bob] = await broken.users('bob');
  const room = await group(broken, bob!, []);
  const fine = await broken.connect(bob!);
  t.is((await fine.request('message.send', { room_id: room, content: 'fine' })).data.content, 'fine');
  // Both failures of the exception handler are reported; nothing else went wrong.
  const reported = brokenLog.take();
  t.deepEqual(reported.map(entry => entry.message), ['answering a failed frame failed', 'answering a failed frame failed']);
  t.true(reported.every(entry => entry.error instanceof RangeError));
});

test('an upgrade whose request target is not a valid URL is a 400, and the server lives on', async t => {
  const { port } = new URL(chat.wsUrl);
  const status = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write('GET http://[bad/messaging/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'),
    );
    socket.once('data', data => resolve(String(data).split('\r\n')[0]!));
    socket.once('error', reject);
  });
  t.is(status, 'HTTP/1.1 400 Bad Request');
  await serverServes(t, chat);
});
