/**
 * The consumer is swappable: `chatConsumerClass` names a subclass of `ChatConsumer` and
 * `eventMapper` adds (`message.pin`) or removes (`message.typing`) event types.
 */
import test from 'ava';
import { ChatConfigurationError, ChatConsumer, attachChatWebSocket, defineChatSettings, tokenAuthentication, type ConsumerContext } from '../src/index.js';
import { createServer } from 'node:http';
import { PinningConsumer, settings } from '../fixtures/custom-consumer/pinning-consumer.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';
import { TestSocket } from './helpers/ws-client.js';

const chat = useChatServer(settings);
const strict = useChatServer(defineChatSettings(), { closeOnAuthFailure: true, allowedOrigins: ['https://chat.example.com'] });

test('message.pin: an admin pins, every member hears message.pinned, numbered, and the pin is stored', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const message = await send(chat, bob!, room, 'pin me');
  const [admin, member] = [await chat.connect(alice!), await chat.connect(bob!)];
  const pinned = await admin.request('message.pin', { message_id: message.id });
  t.is(pinned.eventType, 'message.pinned');
  t.deepEqual(pinned.data, { message_id: message.id, room_id: room, pinned_by: alice!.username });
  t.is(typeof pinned.seq, 'number');
  const heard = await member.event('message.pinned');
  t.is(heard.seq, pinned.seq);
  const info = await admin.request('room.info', { room_id: room });
  t.deepEqual(info.data.property.preferences.pinned, [message.id]);
  // A plain member may not pin; a missing id is a field error.
  t.is((await member.request('message.pin', { message_id: message.id })).error.code, 4002);
  t.is((await member.request('message.pin', {})).error.code, 4003);
});

test('the event mapper removes message.typing and keeps the rest', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const socket = await chat.connect(alice!);
  t.deepEqual((await socket.request('message.typing', { room_id: room })).error, { code: 4003, detail: 'invalid event type' });
  t.is((await socket.request('room.list', {})).eventType, 'roomlist.dispatch');
});

test('the custom consumer\'s hooks run: connect refuses with 4001, receive sees every frame', async t => {
  const [banned, alice] = await chat.users('banned', 'alice');
  const refused = await TestSocket.open(`${chat.wsUrl}?token=${chat.token(banned!)}`);
  const closed = await refused.closed;
  t.is(closed.code, 4001);
  t.deepEqual(refused.frames, []);
  const socket = await chat.connect(alice!);
  await socket.request('room.list', {});
  await socket.request('session.heartbeat', {});
  await socket.request('message.pin', {});
  const consumer = PinningConsumer.connected.find(c => c.user.id === alice!.id);
  t.deepEqual(consumer?.asked, ['room.list', 'session.heartbeat', 'message.pin']);
  t.false(PinningConsumer.connected.some(c => c.user.id === banned!.id));
});

test('closeOnAuthFailure: a bad token is accepted then closed with 4001, as Channels clients expect', async t => {
  const socket = await TestSocket.open(`${strict.wsUrl}?token=bad.token`);
  t.is((await socket.closed).code, 4001);
});

test('allowedOrigins: another browser origin is refused with 403; the allowed one and non-browser clients connect', async t => {
  const [alice] = await strict.users('alice');
  const url = `${strict.wsUrl}?token=${strict.token(alice!)}`;
  const refused = await t.throwsAsync(() => TestSocket.open(url, { headers: { origin: 'https://evil.example' } }));
  t.is((refused as any).status, 403);
  t.is(JSON.parse((refused as any).body).error.code, 'origin_not_allowed');
  for (const headers of [{ origin: 'https://chat.example.com' }, {}] as Record<string, string>[]) {
    const socket = await TestSocket.open(url, { headers });
    t.is((await socket.next()).eventType, 'chat.notifications');
    await socket.close();
  }
});

test('a consumer class that does not extend ChatConsumer, or a mapper naming a missing method, stops start-up', async t => {
  const server = createServer();
  const orm = chat.orm;
  const authenticate = tokenAuthentication(orm).authenticate;
  class NotAConsumer {}
  const wrongClass = await t.throwsAsync(() => attachChatWebSocket(server, { orm, authenticate, settings: defineChatSettings({ chatConsumerClass: NotAConsumer }) }), {
    instanceOf: ChatConfigurationError,
  });
  t.regex(wrongClass!.message, /NotAConsumer must extend ChatConsumer/);
  const missing = await t.throwsAsync(() => attachChatWebSocket(server, { orm, authenticate, settings: defineChatSettings({ chatConsumerClass: PinningConsumer, eventMapper: { 'message.flag': 'flagMessage' } }) }), {
    instanceOf: ChatConfigurationError,
  });
  t.regex(missing!.message, /eventMapper\['message\.flag'\].*PinningConsumer has no method 'flagMessage'/s);
  t.throws(() => defineChatSettings({ eventMapper: { 'message.flag': 42 } }), { instanceOf: ChatConfigurationError, message: /eventMapper\['message.flag'\]/ });
});

test('an event mapper entry may be a function of the consumer, the data and the request', async t => {
  const server = createServer();
  const tokens = tokenAuthentication(chat.orm);
  const realtime = await attachChatWebSocket(server, {
    orm: chat.orm,
    authenticate: tokens.authenticate,
    settings: defineChatSettings({
      eventMapper: {
        'echo.ping': (consumer: ChatConsumer, data: unknown, request: any) => consumer.reply('echo.pong', { data, by: consumer.user.username }, request),
        // What a consumer keeps of its upgrade request (the address is read from the socket when asked).
        'echo.where': (consumer: ChatConsumer, _data: unknown, request: any) => {
          const upgrade = (consumer as unknown as { context: ConsumerContext }).context.request;
          consumer.reply('echo.here', { address: upgrade.remoteAddress, url: upgrade.url, host: upgrade.headers.host, headers: Object.keys(upgrade.headers).sort() }, request);
        },
      },
    }),
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const [alice] = await chat.users('alice');
  const socket = await TestSocket.open(`ws://127.0.0.1:${(server.address() as any).port}/messaging/?token=${tokens.issue(alice!.id)}`, { headers: { 'user-agent': 'test-client' } });
  await socket.event('chat.notifications');
  t.deepEqual(await socket.request('echo.ping', { n: 1 }, 'e1'), { type: 'broadcast_group', eventType: 'echo.pong', data: { data: { n: 1 }, by: alice!.username }, id: 'e1' });
  const port = (server.address() as any).port;
  // Its headers, but the handshake's own (connection, upgrade, sec-websocket-key, -version, -extensions); its URL without the token.
  t.deepEqual((await socket.request('echo.where', {}, 'e2')).data, { address: '127.0.0.1', url: '/messaging/', host: `127.0.0.1:${port}`, headers: ['host', 'user-agent'] });
  const other = await TestSocket.open(`ws://127.0.0.1:${port}/messaging/?presence=1&token=${tokens.issue(alice!.id)}&app=demo`);
  await other.event('chat.notifications');
  t.is((await other.request('echo.where', {}, 'e3')).data.url, '/messaging/?presence=1&app=demo');
  await other.close();
  await socket.close();
  await realtime.close();
  await new Promise(resolve => server.close(resolve));
});
