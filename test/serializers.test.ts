import test from 'ava';
import {
  GroupChat,
  Message,
  MessageMediaAsset,
  OneToOneChat,
  Reaction,
  ReadReceipt,
  Room,
  ValidationFailed,
  defineChatSettings,
} from '../src/index.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';

const settings = defineChatSettings({ maxMessageLength: 200 });
const db = useTestOrm(settings);

async function conversation() {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Team', creator: alice! });
  group.participants.add(bob!);
  const first = em.create(Message, { room: group, sender: alice!, content: 'first' });
  const reply = em.create(Message, { room: group, sender: bob!, content: 'reply', parentMessage: first });
  em.create(ReadReceipt, { message: reply, reader: alice!, readAt: new Date('2026-05-01T10:00:00Z') });
  em.create(Reaction, { message: reply, user: alice!, reactionContent: '👍' });
  em.create(MessageMediaAsset, { message: reply, mediaUrl: 'https://cdn.example/p.png', mediaType: 'image', mimeType: 'image/png', fileSize: 42 });
  reply.deliveredTo.add(alice!);
  await em.flush();
  return { alice: alice!, bob: bob!, group, first, reply };
}

test('a message reads as the original package shows it, snake_case and nested', async t => {
  const { alice, bob, group, first, reply } = await conversation();
  const em = db.orm.em.fork();
  const message = await em.findOneOrFail(Message, reply.id);
  const data = (await serializerOf(settings, 'MessageSerializer', em).serialize(message))!;

  t.deepEqual(Object.keys(data).sort(), [
    'attachments', 'content', 'created_at', 'delivered_to', 'forwarded_from', 'id', 'is_deleted', 'is_edited',
    'is_forwarded', 'parent_message', 'reactions', 'read_receipts', 'room', 'sender', 'updated_at',
  ]);
  t.is(data.id, reply.id);
  t.deepEqual(data.room, { id: group.id });
  t.deepEqual(data.sender, { id: bob.id, username: bob.username, email: null, first_name: null, last_name: null });
  t.is(data.content, 'reply');
  t.false(data.is_deleted as boolean);
  t.regex(data.created_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.deepEqual(data.delivered_to, [alice.username]);
  t.deepEqual(data.read_receipts, [{ reader: { id: alice.id, username: alice.username, email: null, first_name: null, last_name: null }, read_at: '2026-05-01T10:00:00.000Z' }]);
  const [reaction] = data.reactions as Record<string, unknown>[];
  t.deepEqual(Object.keys(reaction!).sort(), ['created_at', 'id', 'reaction_content', 'user']);
  t.is(reaction!.reaction_content, '👍');
  const [attachment] = data.attachments as Record<string, unknown>[];
  t.like(attachment, { media_url: 'https://cdn.example/p.png', media_type: 'image', mime_type: 'image/png', file_size: 42, caption: null, metadata: {} });
  t.false('message' in attachment!);
  t.like(data.parent_message, { id: first.id, content: 'first', parent_message: null });
  t.is(data.forwarded_from, null);
});

test('valid input creates a message with sanitised content', async t => {
  const { alice, group } = await conversation();
  const em = db.orm.em.fork();
  const serializer = serializerOf(settings, 'MessageSerializer', em);
  const created = (await serializer.create({
    room_id: group.id,
    sender_id: alice.id,
    content: '<b>bold</b><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">link</a>',
  })) as Message;
  const stored = await db.orm.em.fork().findOneOrFail(Message, created.id);
  t.is(stored.content, '<b>bold</b><a>link</a>');
  t.is(stored.room.id, group.id);
});

test('invalid input yields field-level errors, never a crash', async t => {
  const { group } = await conversation();
  const serializer = serializerOf(settings, 'MessageSerializer', db.orm.em.fork());

  const notObject = await t.throwsAsync(serializer.validate('hello'), { instanceOf: ValidationFailed });
  t.deepEqual(notObject!.details, { non_field_errors: ['Invalid data. Expected an object.'] });

  const missing = await t.throwsAsync(serializer.validate({}), { instanceOf: ValidationFailed });
  t.deepEqual(Object.keys(missing!.details!).sort(), ['content', 'room_id', 'sender_id']);

  const wrong = await t.throwsAsync(
    serializer.validate({ room_id: 'not-a-uuid', sender_id: '00000000-0000-4000-8000-000000000000', content: 42 }),
    { instanceOf: ValidationFailed },
  );
  t.deepEqual(wrong!.details, {
    content: ['content must be a string'],
    room_id: ['room_id must be a UUID'],
    sender_id: ['Invalid pk "00000000-0000-4000-8000-000000000000" - object does not exist.'],
  });

  const tooLong = await t.throwsAsync(serializer.validate({ room_id: group.id, sender_id: group.creator.id, content: 'x'.repeat(201) }), {
    instanceOf: ValidationFailed,
  });
  t.deepEqual(tooLong!.details, { content: ['Ensure this field has no more than 200 characters.'] });
});

test('a partial update changes only the given fields', async t => {
  const { reply } = await conversation();
  const em = db.orm.em.fork();
  const message = await em.findOneOrFail(Message, reply.id);
  await serializerOf(settings, 'MessageSerializer', em).update(message, { content: '<i>edited</i>' });
  const stored = await db.orm.em.fork().findOneOrFail(Message, reply.id);
  t.is(stored.content, '<i>edited</i>');
  t.is(stored.room.id, reply.room.id);
});

test('a media asset with a MIME type outside the allow-list is refused', async t => {
  const { reply } = await conversation();
  const serializer = serializerOf(settings, 'MessageMediaAssetSerializer', db.orm.em.fork());
  const error = await t.throwsAsync(
    serializer.validate({ message_id: reply.id, media_url: 'https://x/y', media_type: 'file', mime_type: 'application/x-sh' }),
    { instanceOf: ValidationFailed },
  );
  t.deepEqual(error!.details, { mime_type: ['mime_type must be one of the allowed MIME types'] });
});

test('rooms read polymorphically: each by the serializer of its type, with its type', async t => {
  const { alice, bob, group } = await conversation();
  const em = db.orm.em.fork();
  const direct = em.create(OneToOneChat, {});
  direct.participants.add(em.merge(alice), em.merge(bob));
  await em.flush();

  const read = db.orm.em.fork();
  const rooms = await read.find(Room, { id: { $in: [group.id, direct.id] } }, { orderBy: { type: 'asc' } });
  const detail = await serializerOf(settings, 'RoomPolymorphicSerializer', read, alice).serializeMany(rooms);
  const groupData = detail.find(r => r.id === group.id)!;
  t.is(groupData.type, 'GroupChat');
  t.is(groupData.name, 'Team');
  t.is(groupData.max_participants, 100);
  t.deepEqual((groupData.participants as { id: string }[]).map(u => u.id).sort(), [alice.id, bob.id].sort());
  t.deepEqual((groupData.admins as { id: string }[]).map(u => u.id), [alice.id]);
  t.deepEqual(groupData.property, { preferences: {} });
  t.false('last_message' in groupData);

  const list = await serializerOf(settings, 'RoomListPolymorphicSerializer', read, alice).serializeMany(rooms);
  const directData = list.find(r => r.id === direct.id)!;
  t.is(directData.type, 'OneToOneChat');
  t.like(directData.peer, { id: bob.id, username: bob.username });
  t.false('participants' in directData);
  t.is(directData.last_message, null);
});

test('room input is validated for the type it names', async t => {
  const serializer = serializerOf(settings, 'RoomPolymorphicSerializer', db.orm.em.fork());
  const noType = await t.throwsAsync(serializer.validate({ name: 'x' }), { instanceOf: ValidationFailed });
  t.deepEqual(Object.keys(noType!.details!), ['type']);
  const badGroup = await t.throwsAsync(serializer.validate({ type: 'GroupChat', name: 'x'.repeat(65), group_locked: 'yes' }), {
    instanceOf: ValidationFailed,
  });
  t.deepEqual(Object.keys(badGroup!.details!).sort(), ['group_locked', 'name']);
  t.deepEqual(await serializer.validate({ type: 'GroupChat', name: 'Fine', group_locked: true }), { name: 'Fine', groupLocked: true });
});
