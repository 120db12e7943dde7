import test from 'ava';
import { RoomProperty, SIGNALS, ValidationFailed, permissionsOf, type AbstractUser } from '../src/index.js';
import { CustomGroupChat } from '../fixtures/custom-group-chat/models.js';
import { settings } from '../fixtures/custom-group-chat/settings.js';
import { connectGroupChatSignals } from '../fixtures/custom-group-chat/signals.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';

// The signals' connections are process-wide: these tests run in order, before and after reconnecting.
const db = useTestOrm(settings);

const memberIds = async (id: string, relation: 'participants' | 'admins') => {
  const room = await db.orm.em.fork().findOneOrFail(CustomGroupChat, id, { populate: [relation] });
  return room[relation].getItems().map((u: AbstractUser) => u.id).sort();
};

test.serial('the package signals are bound to the default GroupChat, not to the custom one', t => {
  t.false(SIGNALS.addCreatorAsMember.connectedClasses().includes('CustomGroupChat'));
  t.true(SIGNALS.addCreatorAsMember.connectedClasses().includes('GroupChat'));
});

test.serial('before reconnecting, a custom group gets no room property, no creator membership and no limit', async t => {
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  em.create(CustomGroupChat, { name: 'No property', creator: alice! });
  const error = await t.throwsAsync(em.flush());
  t.regex(error!.message, /chat_room_property_required/);

  const em2 = db.orm.em.fork();
  const group = em2.create(CustomGroupChat, { name: 'Unbound', creator: alice!.id, maxParticipants: 1, property: em2.create(RoomProperty, {}) });
  await em2.flush();
  t.deepEqual(await memberIds(group.id, 'participants'), []);
  t.deepEqual(await memberIds(group.id, 'admins'), []);
  t.deepEqual(await permissionsOf(em2, alice!, group), []);

  group.participants.add(bob!, carol!);
  await em2.flush();
  t.is((await memberIds(group.id, 'participants')).length, 2, 'maxParticipants is not enforced while disconnected');
});

test.serial('after connectSignal, the custom group gets every behaviour of the default', async t => {
  connectGroupChatSignals();
  const em = db.orm.em.fork();
  const [alice, bob, carol] = await createUsers(em, 'alice', 'bob', 'carol');
  const group = em.create(CustomGroupChat, { name: 'Bound', creator: alice!, maxParticipants: 2, welcomeMessage: 'hi' });
  await em.flush();
  t.true(group.property instanceof RoomProperty);
  t.deepEqual(await memberIds(group.id, 'participants'), [alice!.id]);
  t.deepEqual(await memberIds(group.id, 'admins'), [alice!.id]);
  t.deepEqual(await permissionsOf(em, alice!, group), ['can_add_new_participants', 'can_remove_participants']);

  group.participants.add(bob!, carol!);
  const error = await t.throwsAsync(em.flush(), { instanceOf: ValidationFailed });
  t.is(error!.message, 'Maximum number of group participants exceeded');

  const em2 = db.orm.em.fork();
  const loaded = await em2.findOneOrFail(CustomGroupChat, group.id, { populate: ['admins', 'participants'] });
  loaded.admins.add(em2.merge(bob!));
  loaded.participants.add(em2.merge(bob!));
  await em2.flush();
  t.deepEqual(await permissionsOf(em2, bob!, loaded), ['can_add_new_participants', 'can_remove_participants']);

  loaded.participants.removeAll();
  await em2.flush();
  t.is(await db.orm.em.fork().findOne(CustomGroupChat, group.id), null, 'the empty custom group is deleted');
});
