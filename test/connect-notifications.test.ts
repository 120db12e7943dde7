/**
 * `chat.notifications` on connect costs the same however many notifications are pending: per room,
 * the latest `NOTIFICATIONS_PER_ROOM`, oldest first, shown exactly as the configured serializer
 * shows them from entities: one statement picks them, a second (only when any are picked) shows them.
 */
import test from 'ava';
import { connect } from 'node:net';
import { ChatNotificationSerializer, EventHandler, model, defineChatSettings, type AbstractChatNotification, type AbstractUser, type ActionResult, type Representation } from '../src/index.js';
import { NOTIFICATION_ROWS, NOTIFICATIONS_PER_ROOM, pendingNotificationsOfUsers } from '../src/engine/pending-notifications.js';
import { representationSql } from '../src/serializers/representation-sql.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';
import { firstDifference } from './helpers/history-paths.js';

const chat = useChatServer(defineChatSettings(), {}, [], { rateLimit: null });

/** An engine whose `chat.notifications` says who asked: an override the batched read must not bypass. */
class SigningHandler extends EventHandler {
  override async pendingNotifications(user: AbstractUser): Promise<ActionResult<Record<string, Representation[]>>> {
    const outcome = await super.pendingNotifications(user);
    return { ...outcome, result: { ...outcome.result, signed: [{ for: user.username }] } };
  }
}
const signed = useChatServer(defineChatSettings({ eventHandlerClass: SigningHandler }), {}, [], { rateLimit: null });

test(`chat.notifications holds the latest ${NOTIFICATIONS_PER_ROOM} of each room, as the serializer shows them`, async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const busy = await group(chat, alice!, [bob!]);
  const quiet = await group(chat, alice!, [bob!]);
  const sent = [];
  for (let i = 0; i < NOTIFICATIONS_PER_ROOM + 10; i++) sent.push(await send(chat, alice!, busy, `busy ${i}`));
  const reply = await send(chat, alice!, quiet, { content: 'a reply', parent_message_id: (await send(chat, alice!, quiet, 'quiet')).id });
  const socket = await chat.connect(bob!, { first: false });
  const first = await socket.event('chat.notifications');
  t.deepEqual(Object.keys(first.data).sort(), [busy, quiet].sort());
  const shown = first.data[busy] as any[];
  t.deepEqual(
    shown.map(n => n.message.id),
    sent.slice(-NOTIFICATIONS_PER_ROOM).map(m => m.id),
    'the latest, oldest first',
  );
  t.deepEqual(first.data[quiet].map((n: any) => n.notification_type), ['NEW_MESSAGE', 'REPLY']);
  t.is(first.data[quiet][1].message.id, reply.id);
  // Exactly what the serializer shows from entities.
  const em = chat.orm.em.fork();
  const ids = [...shown, ...first.data[quiet]].map(n => n.id as string);
  const entities = (await em.find(model('ChatNotification'), { id: { $in: ids } } as never)) as AbstractChatNotification[];
  const fromEntities = await new ChatNotificationSerializer({ em, settings: chat.settings }).serializeMany(entities);
  const byId = new Map(fromEntities.map(n => [n.id, n]));
  t.is(firstDifference([...shown, ...first.data[quiet]], ids.map(id => byId.get(id))), undefined);
  await socket.close();
});

test('sockets of several users opening together each get their own notifications (read for all of them at once)', async t => {
  const [alice, bob, carol, dave] = await chat.users('alice', 'bob', 'carol', 'dave');
  // bob is in both rooms, carol in one, dave in none.
  const both = await group(chat, alice!, [bob!, carol!]);
  const bobOnly = await group(chat, alice!, [bob!]);
  await send(chat, alice!, both, 'for bob and carol');
  await send(chat, alice!, bobOnly, 'for bob');
  const sockets = await Promise.all([bob, carol, dave].map(user => chat.connect(user!, { first: false })));
  const [forBob, forCarol, forDave] = await Promise.all(sockets.map(socket => socket.event('chat.notifications')));
  t.deepEqual(Object.keys(forBob.data).sort(), [both, bobOnly].sort());
  t.deepEqual((forBob.data[bobOnly] as any[]).map(n => n.message.content), ['for bob']);
  t.deepEqual(Object.keys(forCarol.data), [both]);
  t.deepEqual((forCarol.data[both] as any[]).map(n => n.message.content), ['for bob and carol']);
  t.deepEqual(forDave.data, {});
  // The statement behind it, for the three users at once: the same, user by user.
  const em = chat.orm.em.fork();
  const shown = representationSql(em, chat.settings, chat.settings.serializers.ChatNotificationSerializer, model('ChatNotification'), NOTIFICATION_ROWS)!;
  const read = await pendingNotificationsOfUsers(em, shown, [bob!.id, carol!.id, dave!.id]);
  t.deepEqual([...read.keys()], [bob!.id, carol!.id, dave!.id]);
  t.deepEqual(read.get(bob!.id), forBob.data);
  t.deepEqual(read.get(carol!.id), forCarol.data);
  t.deepEqual(read.get(dave!.id), {});
  await Promise.all(sockets.map(socket => socket.close()));
});

test('an engine that overrides pendingNotifications still decides what chat.notifications carries', async t => {
  const [alice, bob] = await signed.users('alice', 'bob');
  const room = await group(signed, alice!, [bob!]);
  await send(signed, alice!, room, 'hello bob');
  const [socket, other] = await Promise.all([signed.connect(bob!, { first: false }), signed.connect(alice!, { first: false })]);
  const [forBob, forAlice] = await Promise.all([socket.event('chat.notifications'), other.event('chat.notifications')]);
  t.deepEqual(forBob.data.signed, [{ for: bob!.username }]);
  t.deepEqual((forBob.data[room] as any[]).map(n => n.message.content), ['hello bob']);
  t.deepEqual(forAlice.data, { signed: [{ for: alice!.username }] });
  await Promise.all([socket.close(), other.close()]);
});

test('the handshake\'s answer and chat.notifications leave together: a client reads them in one chunk', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  await send(chat, alice!, await group(chat, alice!, [bob!]), 'waiting for bob');
  const url = new URL(chat.wsUrl);
  const first = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), '127.0.0.1', () =>
      socket.write(
        `GET ${url.pathname}?token=${encodeURIComponent(chat.token(bob!))} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', data => {
      resolve(data.toString('latin1'));
      socket.destroy();
    });
    socket.once('error', reject);
  });
  t.true(first.startsWith('HTTP/1.1 101 '), first.slice(0, 40));
  const frame = first.slice(first.indexOf('\r\n\r\n') + 4);
  t.true(frame.includes('"chat.notifications"') && frame.includes('waiting for bob'), `the first chunk after the 101 holds: ${JSON.stringify(frame.slice(0, 80))}`);
});
