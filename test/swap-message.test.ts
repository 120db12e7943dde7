import test from 'ava';
import { ChatNotification, GroupChat, ValidationFailed, model } from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { CustomMessageSerializer } from '../fixtures/custom-message/serializers.js';
import { settings } from '../fixtures/custom-message/settings.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';
import { foreignKeyTarget, tableNames } from './helpers/schema.js';

const db = useTestOrm(settings);

async function room() {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Guide', creator: alice! });
  group.participants.add(bob!);
  await em.flush();
  return { alice: alice!, bob: bob!, group };
}

test('the package resolves Message to the custom class and its serializer', t => {
  t.is(model('Message'), CustomMessage);
  t.is(settings.serializers.MessageSerializer, CustomMessageSerializer);
});

test('the custom message table replaces the default, and relations follow it', async t => {
  const tables = await tableNames(db.orm);
  t.true(tables.includes('custom_message'));
  t.false(tables.includes('chat_message'));
  t.is(await foreignKeyTarget(db.orm, 'chat_read_receipt', 'message_id'), 'custom_message');
  t.is(await foreignKeyTarget(db.orm, 'chat_room', 'last_message_id'), 'custom_message');
  t.is(await foreignKeyTarget(db.orm, 'custom_message', 'parent_message_id'), 'custom_message');
});

test('the custom serializer writes the custom fields and ignores read-only ones', async t => {
  const { alice, group } = await room();
  const em = db.orm.em.fork();
  const created = (await serializerOf(settings, 'MessageSerializer', em).create({
    room_id: group.id,
    sender_id: alice.id,
    content: 'Ship it <script>x</script>',
    priority: 'urgent',
    expiry_date: '2027-01-01T00:00:00Z',
    is_pinned: true,
  })) as CustomMessage;
  const stored = await db.orm.em.fork().findOneOrFail(CustomMessage, created.id);
  t.is(stored.priority, 'urgent');
  t.is(stored.expiryDate?.toISOString(), '2027-01-01T00:00:00.000Z');
  t.false(stored.isPinned, 'is_pinned is read-only');
  t.is(stored.content, 'Ship it ');
});

test('the custom serializer reads the fields its Meta-style list names', async t => {
  const { alice, bob, group } = await room();
  const em = db.orm.em.fork();
  const message = em.create(CustomMessage, { room: group.id, sender: alice.id, content: 'pinned', priority: 'high', isPinned: true });
  message.deliveredTo.add(em.getReference(model('User'), bob.id));
  await em.flush();
  const data = (await serializerOf(settings, 'MessageSerializer', db.orm.em.fork()).serialize(
    await db.orm.em.fork().findOneOrFail(CustomMessage, message.id),
  ))!;
  t.deepEqual(Object.keys(data), [
    'id', 'content', 'room', 'sender', 'priority', 'is_pinned', 'expiry_date', 'is_deleted', 'is_edited', 'is_forwarded',
    'forwarded_from', 'parent_message', 'delivered_to', 'read_receipts', 'reactions', 'attachments', 'created_at', 'updated_at',
  ]);
  t.like(data, { priority: 'high', is_pinned: true, expiry_date: null, content: 'pinned', room: { id: group.id } });
  t.like(data.sender, { id: alice.id });
  t.deepEqual(data.delivered_to, [bob.id]);
});

test('an invalid custom field is a field error', async t => {
  const { alice, group } = await room();
  const error = await t.throwsAsync(
    serializerOf(settings, 'MessageSerializer', db.orm.em.fork()).validate({ room_id: group.id, sender_id: alice.id, content: 'x', priority: 'critical' }),
    { instanceOf: ValidationFailed },
  );
  t.deepEqual(error!.details, { priority: ['priority must be one of the following values: low, normal, high, urgent'] });
});

test("other serializers of the package nest messages through the custom serializer", async t => {
  const { alice, bob, group } = await room();
  const em = db.orm.em.fork();
  const message = em.create(CustomMessage, { room: group.id, sender: alice.id, content: 'note', priority: 'low' });
  const notification = em.create(ChatNotification, { message });
  notification.recipients.add(em.getReference(model('User'), bob.id));
  await em.flush();
  const data = (await serializerOf(settings, 'ChatNotificationSerializer', db.orm.em.fork()).serialize(
    await db.orm.em.fork().findOneOrFail(ChatNotification, notification.id),
  ))!;
  t.like(data, { notification_type: 'NEW_MESSAGE', message: { id: message.id, priority: 'low', is_pinned: false } });
});
