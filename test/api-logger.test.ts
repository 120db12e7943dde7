/**
 * The REST API's `logger` option: an unexpected error (answered 500, its details kept from the
 * client) and a push provider that fails after a send committed are reported to it, not printed.
 */
import test from 'ava';
import { EventHandler, defineChatSettings, type AbstractUser, type NotificationProvider } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group } from './helpers/rooms.js';
import { RecordingLogger } from './helpers/recording-logger.js';

/** An engine whose room info fails the way a bug would. */
class BrokenInfo extends EventHandler {
  override async roomInfo(): Promise<never> {
    throw new Error('a bug in roomInfo');
  }
}

const failingPush: NotificationProvider = {
  async notify() {
    throw new Error('push service down');
  },
};

const logger = new RecordingLogger();
const chat = useChatServer(defineChatSettings({ eventHandlerClass: BrokenInfo }), {}, [], { logger, notifier: failingPush });

test.serial('an unexpected error is answered 500 without its details and reported to the logger', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  logger.take();
  const answer = await chat.call(alice!, 'GET', `/rooms/${room}`);
  t.is(answer.status, 500);
  t.deepEqual(answer.body, { error: { code: 'internal_error', message: 'Internal server error' } });
  const [entry, ...others] = logger.take();
  t.deepEqual(others, []);
  t.is(entry?.message, `unexpected error on GET /api/rooms/${room}`);
  t.is((entry?.error as Error).message, 'a bug in roomInfo');
});

test.serial('a push provider that fails after the send committed is reported; the message stays sent', async t => {
  const [alice, bob] = await chat.users('carol', 'dave');
  const room = await group(chat, alice!, [bob! as AbstractUser]);
  logger.take();
  const sent = await chat.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'hello' });
  t.is(sent.status, 201);
  const [entry, ...others] = logger.take();
  t.deepEqual(others, []);
  t.is(entry?.message, 'a post-commit task failed');
  t.is((entry?.error as Error).message, 'push service down');
  const history = await chat.call(bob!, 'GET', `/rooms/${room}/messages`);
  t.deepEqual(history.body.results.map((m: { content: string }) => m.content), ['hello']);
});
