/**
 * The engine is swappable: `eventHandlerClass` names a subclass of `EventHandler` that changes an
 * action (a blocked word refuses a send, over REST and WebSocket alike) and adds one
 * (`pinMessage`, in one transaction with its room event numbered).
 */
import test from 'ava';
import { ChatConfigurationError, EventHandler, createChatEngine, defineChatSettings } from '../src/index.js';
import { ModeratedHandler, settings } from '../fixtures/custom-event-handler/moderated-handler.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group } from './helpers/rooms.js';

const chat = useChatServer(settings);

test('the overridden send refuses a blocked word over REST and WebSocket, and sends anything else', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const refused = await chat.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'buy SPAM now' });
  t.is(refused.status, 400);
  t.deepEqual(refused.body.error.details, { content: ['This message contains a blocked word.'] });
  const socket = await chat.connect(alice!);
  t.is((await socket.request('message.send', { room_id: room, content: 'spam again' })).error.code, 4003);
  const listener = await chat.connect(bob!);
  const sent = await socket.request('message.send', { room_id: room, content: 'hello' });
  t.is(sent.eventType, 'message.dispatch');
  t.is((await listener.event('message.dispatch')).data.content, 'hello');
  const history = await chat.call(alice!, 'GET', `/rooms/${room}/messages`);
  t.deepEqual(history.body.results.map((m: { content: string }) => m.content), ['hello']);
});

test('the added action runs in one transaction: the pin is stored and its event numbered after the room\'s last one', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const listener = await chat.connect(bob!);
  const sent = await listener.request('message.send', { room_id: room, content: 'pin me' });
  const message = sent.data;
  const engine = createChatEngine({ orm: chat.orm, settings });
  t.true(engine instanceof ModeratedHandler);
  const outcome = await (engine as ModeratedHandler).pinMessage(alice!, { message_id: message.id });
  t.deepEqual(outcome.result, { message_id: message.id, room_id: room, pinned_by: alice!.username });
  const logged = outcome.events[0]!;
  t.is(logged.seq, sent.seq + 1);
  chat.realtime.publish(outcome);
  const heard = await listener.event('message.pinned');
  t.is(heard.seq, logged.seq);
  const info = await chat.call(alice!, 'GET', `/rooms/${room}`);
  t.deepEqual(info.body.property.preferences.pinned, [message.id]);
  // The permission rules of the context hold: a plain member may not pin, and nothing is written.
  await t.throwsAsync(() => (engine as ModeratedHandler).pinMessage(bob!, { message_id: message.id }), { name: 'PermissionDenied' });
});

test('an eventHandlerClass that does not extend EventHandler stops start-up', t => {
  class NotAHandler {}
  t.throws(() => createChatEngine({ orm: chat.orm, settings: defineChatSettings({ eventHandlerClass: NotAHandler }) }), { instanceOf: ChatConfigurationError });
  t.true(createChatEngine({ orm: chat.orm, settings: defineChatSettings() }) instanceof EventHandler);
});
