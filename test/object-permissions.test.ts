import test from 'ava';
import {
  GroupChat,
  ObjectPermission,
  assignPermission,
  defineChatSettings,
  hasPermission,
  objectKeyOf,
  permissionsOf,
  removePermission,
} from '../src/index.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';

const db = useTestOrm(defineChatSettings());

test('a permission is granted to one user on one object only', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const first = em.create(GroupChat, { name: 'One', creator: alice! });
  const second = em.create(GroupChat, { name: 'Two', creator: alice! });
  await em.flush();

  await assignPermission(em, 'can_send_messages', bob!, first);
  t.true(await hasPermission(em, 'can_send_messages', bob!, first));
  t.false(await hasPermission(em, 'can_send_messages', bob!, second), 'another object');
  t.false(await hasPermission(em, 'can_send_messages', alice!, first), 'another user');
  t.false(await hasPermission(em, 'can_remove_participants', bob!, first), 'another codename');
});

test('granting twice stores one row, and revoking removes it', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Twice', creator: alice! });
  await em.flush();

  await assignPermission(em, 'can_send_messages', bob!, group);
  await assignPermission(db.orm.em.fork(), 'can_send_messages', bob!, group);
  t.is(await db.orm.em.fork().count(ObjectPermission, { user: bob!.id, ...objectKeyOf(group) }), 1);
  t.deepEqual(await permissionsOf(em, bob!, group), ['can_send_messages']);

  await removePermission(em, 'can_send_messages', bob!, group);
  t.false(await hasPermission(db.orm.em.fork(), 'can_send_messages', bob!, group));
  await t.notThrowsAsync(removePermission(em, 'can_send_messages', bob!, group), 'revoking what is not granted is harmless');
});

test('rooms of every type share the Room key, so a swapped room type keeps its grants', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'Key', creator: alice! });
  await em.flush();
  t.deepEqual(objectKeyOf(group), { objectType: 'Room', objectId: group.id });
});

test('the table refuses a duplicate grant', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'Dup', creator: alice! });
  await em.flush();
  const dup = db.orm.em.fork();
  dup.create(ObjectPermission, { user: alice!.id, codename: 'can_add_new_participants', ...objectKeyOf(group) });
  const error = await t.throwsAsync(dup.flush());
  t.regex(error!.message, /unique|duplicate/i);
});
