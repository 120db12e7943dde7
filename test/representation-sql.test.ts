/**
 * History read in one statement shows exactly what the configured serializer shows from entities:
 * the same fields, values and nesting, for every kind of message (replies, forwards, reactions,
 * receipts, attachments, deliveries, deleted parents, nesting past the depth limit). A serializer
 * with a getter of its own is served from entities, unchanged.
 */
import test from 'ava';
import {
  MessageSerializer,
  createChatEngine,
  defineChatSettings,
  model,
  type AbstractMessage,
} from '../src/index.js';
import { representationSql } from '../src/serializers/representation-sql.js';
import { PAGE_ROWS, shownHistoryPage } from '../src/engine/history-page.js';
import { NOTIFICATION_ROWS, pendingNotificationsByRoom } from '../src/engine/pending-notifications.js';
import type { AbstractChatNotification } from '../src/entities/chat-notification.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';
import { firstDifference, historyBothWays } from './helpers/history-paths.js';
import { countStatements } from './helpers/statements.js';

/** A serializer with a getter of its own: history falls back to entities for it. */
class ShoutingMessageSerializer extends MessageSerializer {
  static override readonly declaredFields: readonly string[] = [...MessageSerializer.declaredFields, 'shout'];

  getShout(message: AbstractMessage): string {
    return message.content.toUpperCase();
  }
}

const api = useApi(defineChatSettings({ messageSoftDelete: true }));

test('one statement shows every kind of message exactly as the serializer does from entities', async t => {
  const [alice, bob, carol, quoted] = await api.users('alice', 'bob', 'carol', 'dave "the \\ quoted"\n');
  const room = await group(api, alice!, [bob!, carol!, quoted!]);
  const other = await group(api, alice!, [bob!]);
  const first = await send(api, alice!, room, 'first <b>bold</b>');
  // Text that JSON must escape, in the content and in a username (written by PostgreSQL, not by JSON.stringify).
  await send(api, carol!, room, 'quotes " and \\ backslash\nnew line\ttab \u0001 control, \u2028 separator, </script> and 😀');
  const media = await send(api, bob!, room, { media: [0, 1, 2].map(i => ({ media_url: `https://cdn.example/${i}.png`, media_type: 'image', file_size: i * 1000, caption: i ? `c${i}` : null, metadata: { i, nested: { ok: true } } })) });
  let parent = first;
  for (let depth = 0; depth < 5; depth++) parent = await send(api, depth % 2 ? alice! : bob!, room, { content: `reply ${depth}`, parent_message_id: parent.id });
  const doomed = await send(api, carol!, room, 'to be deleted');
  await send(api, bob!, room, { content: 'reply to a deleted one', parent_message_id: doomed.id });
  await api.call(carol!, 'DELETE', `/messages/${doomed.id}`);
  const elsewhere = await send(api, alice!, other, 'from another room');
  await api.call(bob!, 'POST', `/messages/${elsewhere.id}/forward`, { room_id: room });
  await api.call(bob!, 'POST', `/messages/${first.id}/reactions`, { reaction_content: '👍' });
  await api.call(carol!, 'POST', `/messages/${first.id}/reactions`, { reaction_content: '🎉' });
  await api.call(bob!, 'POST', '/messages/read', { message_ids: [first.id, media.id] });
  await api.call(carol!, 'POST', '/messages/delivered', { message_ids: [first.id] });
  await api.call(bob!, 'POST', '/messages/delivered', { message_ids: [first.id] });
  await api.call(quoted!, 'POST', '/messages/delivered', { message_ids: [first.id] });
  await api.call(quoted!, 'POST', `/messages/${first.id}/reactions`, { reaction_content: '"\\' });
  await api.call(alice!, 'PATCH', `/messages/${first.id}`, { content: 'first, edited' });

  const { inSql, fromEntities: expected } = await historyBothWays(api, room, bob!.id);
  t.truthy(inSql, 'the default serializer compiles to SQL');
  t.is(inSql!.length, expected.length);
  // Key order too: clients and documentation see the same frames.
  t.is(firstDifference(inSql, expected), undefined);
  const em = api.orm.em.fork();
  const shown = representationSql(em, api.settings, MessageSerializer, model('Message'), PAGE_ROWS);
  const numbered = await shownHistoryPage(em, shown!, bob!.id, room, { page: 2, size: 3 });
  t.deepEqual(JSON.parse(numbered.messagesJson), expected.slice(3, 6));
  t.like(numbered, { page: 2, hasNext: true, hasPrevious: true });
  const past = await shownHistoryPage(em, shown!, bob!.id, room, { page: 99, size: 3 });
  t.is(past.page, Math.ceil(expected.length / 3), 'a page past the end is the last page');
});

test('pending notifications in one statement show replies, deleted parents, forwards and reactions as the serializer does from entities', async t => {
  const [alice, bob, dave] = await api.users('alice', 'bob', 'dave');
  const room = await group(api, alice!, [bob!, dave!]);
  const other = await group(api, alice!, [bob!, dave!]);
  let parent = await send(api, alice!, room, 'root');
  for (let depth = 0; depth < 5; depth++) parent = await send(api, depth % 2 ? alice! : bob!, room, { content: `reply ${depth}`, parent_message_id: parent.id });
  const elsewhere = await send(api, alice!, other, 'from another room');
  const doomed = await send(api, alice!, room, 'to be deleted');
  await send(api, bob!, room, { content: 'a reply to a deleted one', parent_message_id: doomed.id });
  await api.call(alice!, 'DELETE', `/messages/${doomed.id}`);
  await api.call(bob!, 'POST', `/messages/${elsewhere.id}/forward`, { room_id: room });
  await api.call(bob!, 'POST', `/messages/${parent.id}/reactions`, { reaction_content: '👍' });
  await api.call(alice!, 'POST', '/messages/read', { message_ids: [parent.id] });

  const em = api.orm.em.fork();
  const compiled = representationSql(em, api.settings, api.settings.serializers.ChatNotificationSerializer, model('ChatNotification'), NOTIFICATION_ROWS);
  t.truthy(compiled, 'the default notification serializer compiles to SQL');
  const inSql = await pendingNotificationsByRoom(em, compiled!, dave!.id, 100);
  const notifications = (await em.find(model('ChatNotification'), { recipients: dave!.id } as never, { populate: ['message'] as never })) as AbstractChatNotification[];
  notifications.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const serializer = new api.settings.serializers.ChatNotificationSerializer({ em, settings: api.settings });
  const expected: Record<string, unknown[]> = {};
  for (const roomId of [room, other].sort()) expected[roomId] = await serializer.serializeMany(notifications.filter(n => n.message.room.id === roomId && !n.message.isDeleted));
  t.true(expected[room]!.length >= 8, 'the replies, the reply to a deleted message and the forward are pending');
  t.is(firstDifference(inSql, expected), undefined);
});

test('a serializer with a getter of its own does not compile: history keeps the entity path for it', t => {
  const em = api.orm.em.fork();
  t.is(representationSql(em, api.settings, ShoutingMessageSerializer, model('Message'), PAGE_ROWS), undefined);
});

test('the one statement checks access: a missing room is NotFound, a room one is not in is NotVisible', async t => {
  const [alice, stranger] = await api.users('alice', 'stranger');
  const room = await group(api, alice!, []);
  const em = api.orm.em.fork();
  const shown = representationSql(em, api.settings, MessageSerializer, model('Message'), PAGE_ROWS)!;
  await t.throwsAsync(shownHistoryPage(em, shown, stranger!.id, room, { limit: 5 }), { name: 'NotVisible' });
  await t.throwsAsync(shownHistoryPage(em, shown, alice!.id, '00000000-0000-4000-8000-000000000000', { limit: 5 }), { name: 'NotFound' });
  t.deepEqual(JSON.parse((await shownHistoryPage(em, shown, alice!.id, room, { limit: 5 })).messagesJson), []);
});

test.serial('an engine with the default rules reads history in one statement', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  await send(api, alice!, room, 'counted');
  const engine = createChatEngine({ orm: api.orm, settings: api.settings });
  const statements = await countStatements(api.orm, () => engine.messageHistory(alice!, { room_id: room, limit: 10 }));
  t.is(statements, 1);
});
