import test from 'ava';
import type { IncomingMessage } from 'node:http';
import { ObjectPermission, Room, model, permissionsOf, tokenAuthentication } from '../src/index.js';
import { serializerOf } from './helpers/serializers.js';
import {
  AppChannel,
  AppChatNotification,
  AppGroupChat,
  AppMessage,
  AppMessageMediaAsset,
  AppOneToOneChat,
  AppReaction,
  AppReadReceipt,
  AppRoomProperty,
  AppSession,
  AppUser,
} from '../fixtures/all-swapped/models.js';
import { settings } from '../fixtures/all-swapped/settings.js';
import { connectAppSignals } from '../fixtures/all-swapped/signals.js';
import { useTestOrm } from './helpers/orm.js';
import { columnNames, foreignKeyTarget, leadingIndexColumns, pivotTargets, tableNames } from './helpers/schema.js';

// Step 6 of the guide: this app reconnects the package signals to its custom classes.
connectAppSignals();
const db = useTestOrm(settings);

async function seed() {
  const em = db.orm.em.fork();
  const alice = em.create(AppUser, { username: `alice_${Math.random()}`, displayName: 'Alice' });
  const bob = em.create(AppUser, { username: `bob_${Math.random()}` });
  const group = em.create(AppGroupChat, { name: 'Team', creator: alice, welcomeMessage: 'Welcome!' });
  const direct = em.create(AppOneToOneChat, { isMuted: true });
  direct.participants.add(alice, bob);
  const channel = em.create(AppChannel, { name: 'News', creator: alice, topic: 'releases' });
  const message = em.create(AppMessage, { room: group, sender: alice, content: 'hi', isPinned: true });
  em.create(AppReadReceipt, { message, reader: bob, device: 'ios' });
  em.create(AppReaction, { message, user: bob, reactionContent: '🔥', isSuper: true });
  em.create(AppMessageMediaAsset, { message, mediaUrl: 'https://cdn.example/v.mp4', mediaType: 'video', mimeType: 'video/mp4', durationSeconds: 12 });
  const notification = em.create(AppChatNotification, { message, pushedAt: new Date('2026-01-01T00:00:00Z') });
  notification.recipients.add(bob);
  em.create(AppSession, { user: bob, channelName: 'conn-9', deviceName: 'Pixel' });
  await em.flush();
  return { alice, bob, group, direct, channel, message, notification };
}

test('a token authenticates a user of the custom class, its own fields read', async t => {
  const { alice } = await seed();
  const tokens = tokenAuthentication(db.orm);
  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, url: '/' }) as unknown as IncomingMessage;
  const user = await tokens.authenticate(request(tokens.issue(alice.id)));
  t.true(user instanceof AppUser);
  t.is(user!.id, alice.id);
  t.is((user as AppUser).displayName, 'Alice');
  t.is(user!.username, alice.username);
});

test("the custom models' pivots are indexed by their user column, as the defaults' are", async t => {
  const pivots = pivotTargets(db.orm);
  t.true(pivots.some(p => p.table === 'app_chat_notification_recipients'), pivots.map(p => p.table).join());
  for (const { table, column } of pivots) t.true((await leadingIndexColumns(db.orm, table)).includes(column), `${table} has an index led by ${column}`);
});

test('the settings resolve every token to the custom class', t => {
  t.is(model('User'), AppUser);
  t.is(model('Message'), AppMessage);
  t.is(model('GroupChat'), AppGroupChat);
  t.is(model('RoomProperty'), AppRoomProperty);
});

test('no table is created for a swapped-out default, and each custom model has its own', async t => {
  const tables = await tableNames(db.orm);
  for (const gone of ['chat_user', 'chat_session', 'chat_room_property', 'chat_message', 'chat_read_receipt', 'chat_reaction', 'chat_notification', 'chat_message_media_asset']) {
    t.false(tables.includes(gone), `${gone} should not exist`);
  }
  for (const present of ['app_user', 'app_session', 'app_room_property', 'app_message', 'app_read_receipt', 'app_reaction', 'app_chat_notification', 'app_message_media_asset', 'chat_room', 'chat_object_permission']) {
    t.true(tables.includes(present), `${present} should exist`);
  }
  const roomColumns = await columnNames(db.orm, 'chat_room');
  for (const column of ['welcome_message', 'is_muted', 'topic']) t.true(roomColumns.includes(column), `chat_room.${column}`);
});

test('relations declared on the abstract bases point at the custom tables', async t => {
  t.is(await foreignKeyTarget(db.orm, 'app_read_receipt', 'message_id'), 'app_message');
  t.is(await foreignKeyTarget(db.orm, 'app_read_receipt', 'reader_id'), 'app_user');
  t.is(await foreignKeyTarget(db.orm, 'app_message', 'room_id'), 'chat_room');
  t.is(await foreignKeyTarget(db.orm, 'chat_room', 'property_id'), 'app_room_property');
  t.is(await foreignKeyTarget(db.orm, 'chat_room', 'last_message_id'), 'app_message');
  t.is(await foreignKeyTarget(db.orm, 'chat_object_permission', 'user_id'), 'app_user');
});

test('every custom model persists and reads back with its own fields', async t => {
  const { alice, message, notification, group } = await seed();
  const em = db.orm.em.fork();
  const storedMessage = await em.findOneOrFail(AppMessage, message.id, {
    populate: ['sender', 'readReceipts', 'reactions', 'attachments'],
  });
  t.true(storedMessage.isPinned);
  t.true(storedMessage.sender instanceof AppUser);
  t.is((storedMessage.sender as AppUser).displayName, 'Alice');
  const receipt = storedMessage.readReceipts.getItems()[0] as AppReadReceipt;
  t.true(receipt instanceof AppReadReceipt);
  t.is(receipt.device, 'ios');
  const reaction = storedMessage.reactions.getItems()[0] as AppReaction;
  t.true(reaction instanceof AppReaction);
  t.true(reaction.isSuper);
  const asset = storedMessage.attachments.getItems()[0] as AppMessageMediaAsset;
  t.is(asset.durationSeconds, 12);
  const storedNotification = await em.findOneOrFail(AppChatNotification, notification.id);
  t.is(storedNotification.pushedAt?.toISOString(), '2026-01-01T00:00:00.000Z');
  const session = await em.findOneOrFail(AppSession, { channelName: 'conn-9' });
  t.is(session.deviceName, 'Pixel');
  const storedGroup = await em.findOneOrFail(AppGroupChat, group.id, { populate: ['property', 'participants'] });
  t.is(storedGroup.welcomeMessage, 'Welcome!');
  t.true(storedGroup.property instanceof AppRoomProperty);
  t.is((storedGroup.property as AppRoomProperty).theme, 'light');
  t.deepEqual(storedGroup.participants.getItems().map(u => u.id), [alice.id]);
  t.deepEqual(await permissionsOf(em, alice, storedGroup), ['can_add_new_participants', 'can_remove_participants']);
  t.true((await em.count(ObjectPermission, { user: alice.id })) >= 2);
});

test('a query on Room returns the custom room classes', async t => {
  const { group, direct, channel } = await seed();
  const rooms = await db.orm.em.fork().find(Room, { id: { $in: [group.id, direct.id, channel.id] } });
  const byId = new Map(rooms.map(room => [room.id, room]));
  t.true(byId.get(group.id) instanceof AppGroupChat);
  t.true(byId.get(direct.id) instanceof AppOneToOneChat);
  t.true(byId.get(channel.id) instanceof AppChannel);
  t.is(byId.get(group.id)!.type, 'GroupChat');
  t.is((byId.get(direct.id) as AppOneToOneChat).isMuted, true);
  t.is((byId.get(channel.id) as AppChannel).topic, 'releases');
});

test('a custom read receipt loads its message as the custom message class', async t => {
  const { message } = await seed();
  const receipt = await db.orm.em.fork().findOneOrFail(AppReadReceipt, { message: message.id }, { populate: ['message'] });
  t.true(receipt.message instanceof AppMessage);
  t.true((receipt.message as AppMessage).isPinned);
});

test('the custom serializers shape every read, nested ones included', async t => {
  const { alice, bob, group, message } = await seed();
  const em = db.orm.em.fork();
  const room = await em.findOneOrFail(Room, group.id);
  const roomData = (await serializerOf(settings, 'RoomPolymorphicSerializer', em, alice).serialize(room))!;
  t.like(roomData, { type: 'GroupChat', welcome_message: 'Welcome!', property: { preferences: {}, theme: 'light' } });
  t.deepEqual(roomData.creator, { id: alice.id, username: alice.username, display_name: 'Alice' });
  t.false('admins' in roomData);

  const messageData = (await serializerOf(settings, 'MessageSerializer', em).serialize(await em.findOneOrFail(AppMessage, message.id)))!;
  t.like(messageData, { is_pinned: true, content: 'hi' });
  t.false('delivered_to' in messageData);
  t.like((messageData.read_receipts as object[])[0], { device: 'ios', reader: { id: bob.id, display_name: null } });
  t.like((messageData.reactions as object[])[0], { is_super: true, reaction_content: '🔥' });
  t.like((messageData.attachments as object[])[0], { duration_seconds: 12, mime_type: 'video/mp4' });
});
