import test from 'ava';
import {
  Channel,
  ChatNotification,
  GroupChat,
  Message,
  MessageMediaAsset,
  OneToOneChat,
  Reaction,
  ReadReceipt,
  Room,
  RoomProperty,
  Session,
  defineChatSettings,
} from '../src/index.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';

const db = useTestOrm(defineChatSettings());

test('the default models persist every field with the defaults of the original package', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Team', creator: alice! });
  await em.flush();
  const message = em.create(Message, { room: group, sender: alice!, content: 'hello' });
  em.create(MessageMediaAsset, { message, mediaUrl: 'https://cdn.example/a.png', mediaType: 'image' });
  em.create(Session, { user: bob!, channelName: 'conn-1' });
  await em.flush();

  const read = db.orm.em.fork();
  const stored = await read.findOneOrFail(Message, message.id, { populate: ['attachments'] });
  t.is(stored.content, 'hello');
  t.false(stored.isDeleted);
  t.false(stored.isForwarded);
  t.false(stored.isEdited);
  t.is(stored.parentMessage, null);
  t.true(stored.createdAt instanceof Date);
  const asset = stored.attachments.getItems()[0]!;
  t.is(asset.fileSize, 0);
  t.is(asset.mimeType, 'image/jpeg');
  t.deepEqual(asset.metadata, {});
  t.is(asset.caption, null);

  const storedGroup = await read.findOneOrFail(GroupChat, group.id, { populate: ['property'] });
  t.is(storedGroup.maxParticipants, 100);
  t.false(storedGroup.joinApprovalRequired);
  t.false(storedGroup.groupLocked);
  t.deepEqual(storedGroup.property.preferences, {});
  const session = await read.findOneOrFail(Session, { channelName: 'conn-1' });
  t.is(typeof session.id, 'number');
});

test('a query on Room returns each room as its own type', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const direct = em.create(OneToOneChat, {});
  direct.participants.add(alice!, bob!);
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const channel = em.create(Channel, { name: 'C', creator: alice! });
  await em.flush();

  const rooms = await db.orm.em.fork().find(Room, { id: { $in: [direct.id, group.id, channel.id] } });
  const byId = new Map(rooms.map(r => [r.id, r]));
  t.true(byId.get(direct.id) instanceof OneToOneChat);
  t.true(byId.get(group.id) instanceof GroupChat);
  t.true(byId.get(channel.id) instanceof Channel);
  t.is(byId.get(group.id)!.type, 'GroupChat');
  const channelRead = byId.get(channel.id) as Channel;
  t.is(channelRead.maxSubscribers, 300);
  t.false(channelRead.isPublic);
});

test('a reader has one read receipt per message', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  em.create(ReadReceipt, { message, reader: alice! });
  await em.flush();
  const again = db.orm.em.fork();
  again.create(ReadReceipt, { message: message.id, reader: alice!.id });
  const error = await t.throwsAsync(again.flush());
  t.regex(error!.message, /unique|duplicate/i);
});

test('a forwarded message can never be a reply', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const original = em.create(Message, { room: group, sender: alice!, content: 'original' });
  await em.flush();
  const bad = db.orm.em.fork();
  bad.create(Message, { room: group.id, sender: alice!.id, content: 'both', isForwarded: true, parentMessage: original.id, forwardedFrom: original.id });
  const error = await t.throwsAsync(bad.flush());
  t.regex(error!.message, /forwarded_messages_cant_be_replies/);
});

test('a media asset only accepts the allowed MIME types', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  await em.flush();
  const bad = db.orm.em.fork();
  bad.create(MessageMediaAsset, { message: message.id, mediaUrl: 'https://x/y.exe', mediaType: 'file', mimeType: 'application/x-msdownload' as never });
  const error = await t.throwsAsync(bad.flush());
  t.regex(error!.message, /mime_type/);
});

test('a notification defaults to NEW_MESSAGE and keeps its recipients', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  const notification = em.create(ChatNotification, { message });
  notification.recipients.add(bob!);
  await em.flush();
  const stored = await db.orm.em.fork().findOneOrFail(ChatNotification, notification.id, { populate: ['recipients'] });
  t.is(stored.notificationType, 'NEW_MESSAGE');
  t.deepEqual(stored.recipients.getItems().map(u => u.id), [bob!.id]);
});

test('every room gets a room property of the default class', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  await em.flush();
  t.true(group.property instanceof RoomProperty);
  t.true(Number(group.property.id) > 0);
});

test('a reaction is stored with its content', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  em.create(Reaction, { message, user: alice!, reactionContent: '👍' });
  await em.flush();
  const stored = await db.orm.em.fork().findOneOrFail(Reaction, { message: message.id });
  t.is(stored.reactionContent, '👍');
});
