import test from 'ava';
import {
  Channel,
  ChatNotification,
  GroupChat,
  Message,
  OneToOneChat,
  Reaction,
  Room,
  User,
  ValidationFailed,
  defineChatSettings,
  permissionsOf,
} from '../src/index.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';

const db = useTestOrm(defineChatSettings());

const ids = (users: { id: string }[]) => users.map(u => u.id).sort();

test('the creator of a group becomes participant and admin with the admin permissions', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'Team', creator: alice! });
  await em.flush();

  const read = db.orm.em.fork();
  const stored = await read.findOneOrFail(GroupChat, group.id, { populate: ['participants', 'admins'] });
  t.deepEqual(ids(stored.participants.getItems()), [alice!.id]);
  t.deepEqual(ids(stored.admins.getItems()), [alice!.id]);
  t.deepEqual(await permissionsOf(read, alice!, stored), ['can_add_new_participants', 'can_remove_participants']);
});

test('the creator of a channel becomes subscriber and moderator with the moderator permissions', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const channel = em.create(Channel, { name: 'News', creator: alice! });
  await em.flush();

  const read = db.orm.em.fork();
  const stored = await read.findOneOrFail(Channel, channel.id, { populate: ['subscribers', 'moderators'] });
  t.deepEqual(ids(stored.subscribers.getItems()), [alice!.id]);
  t.deepEqual(ids(stored.moderators.getItems()), [alice!.id]);
  t.deepEqual(await permissionsOf(read, alice!, stored), ['can_add_new_subscribers', 'can_remove_subscribers', 'can_send_messages']);
});

test('adding participants past the group limit fails and writes nothing', async t => {
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  const group = em.create(GroupChat, { name: 'Small', creator: alice!, maxParticipants: 2 });
  await em.flush();

  const later = db.orm.em.fork();
  const loaded = await later.findOneOrFail(GroupChat, group.id);
  loaded.participants.add(later.getReference(User, bob!.id), later.getReference(User, carol!.id));
  const error = await t.throwsAsync(later.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'Maximum number of group participants exceeded');

  const stored = await db.orm.em.fork().findOneOrFail(GroupChat, group.id, { populate: ['participants'] });
  t.deepEqual(ids(stored.participants.getItems()), [alice!.id]);
});

test('adding subscribers past the channel limit fails', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const channel = em.create(Channel, { name: 'Tiny', creator: alice!, maxSubscribers: 1 });
  await em.flush();
  channel.subscribers.add(bob!);
  const error = await t.throwsAsync(em.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'Maximum number of channel subscribers exceeded');
});

test('a group whose last participant is removed is deleted', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Leaving', creator: alice! });
  group.participants.add(bob!);
  await em.flush();

  const later = db.orm.em.fork();
  const loaded = await later.findOneOrFail(GroupChat, group.id, { populate: ['participants'] });
  loaded.participants.remove(loaded.participants.getItems().find(u => u.id === bob!.id)!);
  await later.flush();
  t.truthy(await db.orm.em.fork().findOne(GroupChat, group.id), 'one participant left: the group stays');

  loaded.participants.removeAll();
  await later.flush();
  t.is(await db.orm.em.fork().findOne(Room, group.id), null);
});

test('a channel whose last subscriber is removed is deleted', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const channel = em.create(Channel, { name: 'Gone', creator: alice! });
  await em.flush();
  channel.subscribers.removeAll();
  await em.flush();
  t.is(await db.orm.em.fork().findOne(Room, channel.id), null);
});

test('becoming admin grants the group permissions and ceasing to be one revokes them', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Admins', creator: alice! });
  group.participants.add(bob!);
  await em.flush();
  t.deepEqual(await permissionsOf(em, bob!, group), []);

  group.admins.add(bob!);
  await em.flush();
  t.deepEqual(await permissionsOf(db.orm.em.fork(), bob!, group), ['can_add_new_participants', 'can_remove_participants']);

  group.admins.remove(bob!);
  await em.flush();
  t.deepEqual(await permissionsOf(db.orm.em.fork(), bob!, group), []);
  t.deepEqual(await permissionsOf(db.orm.em.fork(), alice!, group), ['can_add_new_participants', 'can_remove_participants']);
});

test('becoming moderator grants the channel permissions, on a loaded channel too', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const channel = em.create(Channel, { name: 'Mods', creator: alice! });
  await em.flush();
  const later = db.orm.em.fork();
  const loaded = await later.findOneOrFail(Channel, channel.id);
  loaded.moderators.add(later.getReference(User, bob!.id));
  await later.flush();
  t.deepEqual(await permissionsOf(db.orm.em.fork(), bob!, channel), ['can_add_new_subscribers', 'can_remove_subscribers', 'can_send_messages']);
});

test('a one-to-one chat needs exactly two participants', async t => {
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  const three = em.create(OneToOneChat, {});
  three.participants.add(alice!, bob!, carol!);
  const error = await t.throwsAsync(em.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'A one to one chat can only have 2 participants');

  const other = db.orm.em.fork();
  other.create(OneToOneChat, {});
  const empty = await t.throwsAsync(other.flush(), { instanceOf: ValidationFailed });
  t.is(empty!.message, 'A one to one chat can only have 2 participants');
});

test('a pair of users has at most one one-to-one chat, in either order', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const first = em.create(OneToOneChat, {});
  first.participants.add(alice!, bob!);
  await em.flush();
  t.is(first.pairKey, [alice!.id, bob!.id].sort().join(':'));

  const second = db.orm.em.fork();
  const duplicate = second.create(OneToOneChat, {});
  duplicate.participants.add(second.getReference(User, bob!.id), second.getReference(User, alice!.id));
  const error = await t.throwsAsync(second.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'Chat already exists');
});

test('removing a participant from a one-to-one chat fails', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const chat = em.create(OneToOneChat, {});
  chat.participants.add(alice!, bob!);
  await em.flush();
  chat.participants.remove(bob!);
  const error = await t.throwsAsync(em.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'A one to one chat can only have 2 participants');
});

test("deleting a user deletes their one-to-one chats and leaves their groups", async t => {
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  const chat = em.create(OneToOneChat, {});
  chat.participants.add(alice!, bob!);
  const group = em.create(GroupChat, { name: 'Stays', creator: carol! });
  group.participants.add(alice!);
  await em.flush();

  const later = db.orm.em.fork();
  later.remove(later.getReference(User, alice!.id));
  await later.flush();
  const read = db.orm.em.fork();
  t.is(await read.findOne(Room, chat.id), null);
  const remaining = await read.findOneOrFail(GroupChat, group.id, { populate: ['participants'] });
  t.deepEqual(ids(remaining.participants.getItems()), [carol!.id]);
});

test('an empty reaction is refused', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'R', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  await em.flush();
  em.create(Reaction, { message, user: alice!, reactionContent: '' });
  const error = await t.throwsAsync(em.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, "reaction_content can't be empty");
});

test("a user's new reaction replaces their previous one on the same message", async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'R', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  em.create(Reaction, { message, user: alice!, reactionContent: '👍' });
  em.create(Reaction, { message, user: bob!, reactionContent: '🎉' });
  await em.flush();

  const later = db.orm.em.fork();
  later.create(Reaction, { message: message.id, user: alice!.id, reactionContent: '❤️' });
  await later.flush();
  const reactions = await db.orm.em.fork().find(Reaction, { message: message.id }, { orderBy: { reactionContent: 'asc' } });
  t.deepEqual(reactions.map(r => [r.user.id === alice!.id ? 'alice' : 'bob', r.reactionContent]).sort(), [['alice', '❤️'], ['bob', '🎉']]);
});

test('a notification whose last recipient is removed is deleted', async t => {
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  const group = em.create(GroupChat, { name: 'N', creator: alice! });
  const message = em.create(Message, { room: group, sender: alice!, content: 'x' });
  const notification = em.create(ChatNotification, { message });
  notification.recipients.add(bob!, carol!);
  await em.flush();

  notification.recipients.remove(bob!);
  await em.flush();
  t.truthy(await db.orm.em.fork().findOne(ChatNotification, notification.id));
  notification.recipients.remove(carol!);
  await em.flush();
  t.is(await db.orm.em.fork().findOne(ChatNotification, notification.id), null);
});
