/**
 * `chat.notifications` on connect costs the same however many notifications are pending: per room,
 * the latest `NOTIFICATIONS_PER_ROOM`, oldest first, shown exactly as the configured serializer
 * shows them from entities, in one statement.
 */
import test from 'ava';
import { ChatNotificationSerializer, model, defineChatSettings, type AbstractChatNotification } from '../src/index.js';
import { NOTIFICATIONS_PER_ROOM } from '../src/engine/pending-notifications.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';
import { firstDifference } from './helpers/history-paths.js';

const chat = useChatServer(defineChatSettings(), {}, [], { rateLimit: null });

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
