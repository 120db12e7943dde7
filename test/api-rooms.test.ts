import test from 'ava';
import { Room, defineChatSettings, permissionsOf } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { channel, createRoom, group, send } from './helpers/rooms.js';

const api = useApi(defineChatSettings());

const eventsOf = (roomId: string) =>
  api.published.flatMap(o => o.events).filter(e => JSON.stringify(e.data).includes(roomId) || ('room' in e.audience && e.audience.room === roomId));

test('a one-to-one chat is got or created: the pair has one chat, asked for in either order', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const first = await api.call(alice!, 'POST', '/rooms', { type: 'OneToOneChat', participants: [bob!.id] });
  t.is(first.status, 201, JSON.stringify(first.body));
  t.deepEqual(first.body.participants.map((u: any) => u.id).sort(), [alice!.id, bob!.id].sort());
  const again = await api.call(bob!, 'POST', '/rooms', { type: 'OneToOneChat', participants: [alice!.id, bob!.id] });
  t.is(again.status, 200);
  t.is(again.body.id, first.body.id);
  const alone = await api.call(alice!, 'POST', '/rooms', { type: 'OneToOneChat', participants: [] });
  t.is(alone.status, 400);
  t.deepEqual(alone.body.error.details, { participants: ['A one to one chat needs exactly one other participant'] });
});

test('a group is created with its creator as admin, its members and its property preferences', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const created = await api.call(alice!, 'POST', '/rooms', {
    type: 'GroupChat',
    name: 'Team',
    description: 'Work',
    participants: [bob!.id],
    extra_fields: { property: { preferences: { muted: false } } },
  });
  t.is(created.status, 201, JSON.stringify(created.body));
  t.like(created.body, { type: 'GroupChat', name: 'Team', description: 'Work', max_participants: 100, group_locked: false, property: { preferences: { muted: false } } });
  t.deepEqual(created.body.admins.map((u: any) => u.id), [alice!.id]);
  t.is(created.body.creator.id, alice!.id);
  const em = api.orm.em.fork();
  const stored = await em.findOneOrFail(Room, created.body.id);
  t.deepEqual(await permissionsOf(em, alice!, stored), ['can_add_new_participants', 'can_remove_participants']);
  const outcome = api.published.find(o => (o.result as any)?.id === created.body.id)!;
  t.deepEqual(outcome.events.map(e => [e.eventType, e.audience]), [['roomcreate.dispatch', { room: created.body.id }]]);
  t.deepEqual([...outcome.groups[0]!.join!].sort(), [alice!.id, bob!.id].sort());
});

test('members are added and removed with their events; a removed admin loses the role', async t => {
  const [alice, bob, carol] = await api.users('alice', 'bob', 'carol');
  const room = await group(api, alice!, [bob!]);
  const added = await api.call(alice!, 'POST', `/rooms/${room}/members`, { members: [carol!.id, bob!.id] });
  t.is(added.status, 200, JSON.stringify(added.body));
  t.deepEqual(added.body.new_members, [carol!.username]);
  t.is(added.body.added_by, alice!.username);
  await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'add_admin', data: { users: [carol!.id] } });
  const removed = await api.call(alice!, 'DELETE', `/rooms/${room}/members/${carol!.id}`);
  t.is(removed.status, 200);
  t.deepEqual(removed.body.removed_members, [carol!.username]);
  t.deepEqual(removed.body.room.admins.map((u: any) => u.id), [alice!.id]);
  const events = eventsOf(room).map(e => e.eventType);
  t.true(events.includes('roomaddmembers.dispatch'));
  t.true(events.includes('roomremovemembers.dispatch'));
  const exit = api.published.flatMap(o => o.events).find(e => e.eventType === 'roomexit.dispatch' && 'users' in e.audience && e.audience.users[0] === carol!.id)!;
  t.is((exit.data as any).message, `You have been removed by ${alice!.username}`);
});

test('the last member to leave deletes the room', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const left = await api.call(bob!, 'POST', `/rooms/${room}/leave`);
  t.is(left.status, 200);
  t.like(left.body, { removed_members: [bob!.username], removed_by: 'self' });
  const last = await api.call(alice!, 'POST', `/rooms/${room}/leave`);
  t.is(last.status, 200);
  t.deepEqual(last.body, { room_id: room });
  t.is((await api.call(alice!, 'GET', `/rooms/${room}`)).status, 404);
});

test('room.modify checks its action, data and permissions like the original', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const none = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { data: { name: 'x' } });
  t.is(none.body.error.message, 'Action must be provided');
  const invalid = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'explode', data: {} });
  t.is(invalid.body.error.message, 'Invalid action type');
  const noData = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'update' });
  t.is(noData.body.error.message, 'data must be provided');
  const noUsers = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'add_admin', data: { name: 'x' } });
  t.is(noUsers.body.error.message, 'User ids must be provided');
  const wrongPerm = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'add_permission', data: { users: [bob!.id], permissions: ['can_send_messages'] } });
  t.is(wrongPerm.body.error.message, "Permission 'can_send_messages' is not a valid group chat permission");
  const moderators = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'add_moderator', data: { users: [bob!.id] } });
  t.is(moderators.body.error.message, 'Room should be a channel to modify the moderators');
  const granted = await api.call(alice!, 'POST', `/rooms/${room}/modify`, { action: 'add_permission', data: { users: [bob!.id], permission: ['can_add_new_participants'] } });
  t.is(granted.status, 200);
  const [carol] = await api.users('carol');
  t.is((await api.call(bob!, 'POST', `/rooms/${room}/members`, { members: [carol!.id] })).status, 200, 'the granted permission lets bob add members');
  const locked = await api.call(alice!, 'PATCH', `/rooms/${room}`, { group_locked: true });
  t.is(locked.body.group_locked, true);
  t.is((await api.call(bob!, 'POST', `/rooms/${room}/messages`, { content: 'x' })).status, 403, 'a locked group refuses participants');
});

test('my rooms come newest activity first, each with its last message and unread count', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const quiet = await group(api, alice!, [bob!], { name: 'Quiet' });
  const busy = await channel(api, alice!, [bob!], { name: 'Busy' });
  const direct = await createRoom(api, bob!, { type: 'OneToOneChat', participants: [alice!.id] });
  await send(api, bob!, quiet, 'old');
  await send(api, alice!, busy, 'news 1');
  const latest = await send(api, alice!, direct, 'hey');
  const rooms = (await api.call(bob!, 'GET', '/rooms')).body;
  t.deepEqual(rooms.map((r: any) => r.id), [direct, busy, quiet]);
  t.like(rooms[0], { type: 'OneToOneChat', unread_count: 1, last_message: { id: latest.id }, peer: { id: alice!.id } });
  t.like(rooms[1], { type: 'Channel', name: 'Busy', unread_count: 1 });
  t.like(rooms[2], { type: 'GroupChat', name: 'Quiet', unread_count: 0 });
  t.false('participants' in rooms[2]);
});
