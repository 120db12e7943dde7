/**
 * The original package's WebSocket protocol, as its own test-suite speaks it: frames, replies,
 * who receives what, and the error codes (4002–4006) that leave the socket open.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { channel, createRoom, group, send } from './helpers/rooms.js';

const chat = useChatServer(defineChatSettings());

const oneToOne = (a: any, b: any) => createRoom(chat, a, { type: 'OneToOneChat', participants: [b.id] });

test('the first frame is chat.notifications, pending notifications grouped by room', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  await send(chat, alice!, room, 'one');
  await send(chat, alice!, room, 'two');
  const socket = await chat.connect(bob!, { first: false });
  const first = await socket.next();
  t.is(first.eventType, 'chat.notifications');
  t.is(first.data[room].length, 2);
  t.deepEqual(
    first.data[room].map((n: any) => n.message.content),
    ['one', 'two'],
  );
});

test('room.create reaches every member, the creator first among them', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const [a, c] = [await chat.connect(alice!), await chat.connect(carol!)];
  a.send({ event_type: 'room.create', data: { type: 'GroupChat', name: 'New Group', description: 'Test group', participants: [bob!.id, carol!.id] } });
  const mine = await a.next();
  t.is(mine.eventType, 'roomcreate.dispatch');
  t.is(mine.type, 'broadcast_group');
  t.is(mine.data.type, 'GroupChat');
  t.is(mine.data.participants.length, 3);
  const theirs = await c.next();
  t.is(theirs.eventType, 'roomcreate.dispatch');
  t.is(theirs.data.id, mine.data.id);
  t.is(theirs.seq, mine.seq);
});

test('a one-to-one chat with three participants is a 4003 naming the rule', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const socket = await chat.connect(alice!);
  socket.send({ event_type: 'room.create', data: { type: 'OneToOneChat', participants: [bob!.id, carol!.id] } });
  const reply = await socket.next();
  t.false('eventType' in reply);
  t.is(reply.error.code, 4003);
  t.true(JSON.stringify(reply.error.detail).includes('A one to one chat can only have 2 participants'), JSON.stringify(reply));
});

test('message.send: the sender gets message.dispatch, with the sender and attachments', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const socket = await chat.connect(alice!);
  socket.send({
    event_type: 'message.send',
    data: {
      room_id: room,
      content: 'Media message',
      extra_fields: { media: [{ media_url: 'https://example.com/image.jpg', media_type: 'image', mime_type: 'image/jpeg', file_size: 1024, metadata: {} }] },
    },
  });
  const reply = await socket.next();
  t.is(reply.eventType, 'message.dispatch');
  t.is(reply.data.content, 'Media Files');
  t.is(reply.data.sender.username, alice!.username);
  t.is(reply.data.attachments.length, 1);
  t.is(reply.room_id, room);
  t.is(typeof reply.seq, 'number');
});

test('replies and forwards carry the parent and the forwarded flag', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const other = await group(chat, alice!, []);
  const parent = await send(chat, alice!, room, 'Parent message');
  const socket = await chat.connect(bob!);
  socket.send({ event_type: 'message.send', data: { room_id: room, content: 'Reply message', extra_fields: { parent_message_id: parent.id } } });
  t.is((await socket.event('message.dispatch')).data.parent_message.content, 'Parent message');
  const sender = await chat.connect(alice!);
  sender.send({ event_type: 'message.send', data: { room_id: other, content: 'Parent message', extra_fields: { forwarded_from_id: parent.id } } });
  const forwarded = await sender.event('message.dispatch');
  t.true(forwarded.data.is_forwarded);
  sender.send({ event_type: 'message.send', data: { room_id: other, content: 'x', extra_fields: { forwarded_from_id: randomUUID() } } });
  t.is((await sender.until(f => 'error' in f)).error.code, 4003);
});

test('permission, not-found and validation errors keep the socket open', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const room = await oneToOne(alice, bob);
  const socket = await chat.connect(carol!);
  socket.send({ event_type: 'message.send', data: { room_id: room, content: 'Unauthorized message' } });
  t.is((await socket.next()).error.code, 4002);
  socket.send({ event_type: 'message.send', data: { room_id: randomUUID(), content: 'x' } });
  const missing = await socket.next();
  t.is(missing.error.code, 4004);
  t.is(missing.error.detail, 'Resource not found.');
  socket.send({ event_type: 'room.info', data: { room_id: '00000000-0000-0000-0000-000000000000' } });
  t.is((await socket.next()).error.code, 4004);
  socket.send({ event_type: 'room.create', data: { type: 'GroupChat' } });
  t.is((await socket.next()).error.code, 4003);
  socket.send({ event_type: 'room.create', data: { type: 'InvalidType', name: 'Test' } });
  t.is((await socket.next()).error.code, 4003);
  socket.send({ event_type: 'invalid_event_type', data: {} });
  const unknown = await socket.next();
  t.deepEqual(unknown.error, { code: 4003, detail: 'invalid event type' });
  t.true(socket.open);
  socket.send({ event_type: 'room.list' });
  t.is((await socket.next()).eventType, 'roomlist.dispatch');
});

test('locked groups and channels: only admins, moderators and permitted subscribers send', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const locked = await group(chat, alice!, [bob!], { group_locked: true });
  const news = await channel(chat, alice!, [bob!], { is_public: true });
  const socket = await chat.connect(bob!);
  socket.send({ event_type: 'message.send', data: { room_id: locked, content: 'x' } });
  t.is((await socket.next()).error.code, 4002);
  socket.send({ event_type: 'message.send', data: { room_id: news, content: 'x' } });
  t.is((await socket.next()).error.code, 4002);
  const admin = await chat.connect(alice!);
  admin.send({ event_type: 'message.send', data: { room_id: locked, content: 'Message to locked group' } });
  t.is((await admin.event('message.dispatch')).data.content, 'Message to locked group');
});

test('message.read: one message gives its receipts, several give one frame per room', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const news = await channel(chat, alice!, [bob!]);
  const one = await send(chat, alice!, room, 'Message 1');
  const two = await send(chat, alice!, room, 'Message 2');
  const three = await send(chat, alice!, news, 'Message 3');
  const socket = await chat.connect(bob!);
  socket.send({ event_type: 'message.read', data: { message_id: one.id } });
  const single = await socket.event('readreceipt.dispatch');
  t.is(single.data.read_receipts.length, 1);
  socket.send({ event_type: 'message.read', data: { message_id: [two.id, three.id] } });
  const first = await socket.event('readreceipt.dispatch');
  const second = await socket.event('readreceipt.dispatch');
  t.deepEqual(new Set([first.data[0].room.id, second.data[0].room.id]), new Set([room, news]));
  const private_ = await group(chat, alice!, []);
  const hidden = await send(chat, alice!, private_, 'not yours');
  socket.send({ event_type: 'message.read', data: { message_id: [one.id, hidden.id] } });
  t.is((await socket.until(f => 'error' in f)).error.code, 4002);
});

test('message.acknowledged tells the sender, on every device, who it was delivered to', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const message = await send(chat, alice!, room, 'Test message');
  const [sender, receiver] = [await chat.connect(alice!), await chat.connect(bob!)];
  receiver.send({ event_type: 'message.acknowledged', data: { message_id: message.id } });
  const told = await sender.event('messagedelivered.dispatch');
  t.is(told.data.length, 1);
  t.is(told.data[0].id, message.id);
  t.deepEqual(told.data[0].delivered_to, [bob!.username]);
});

test('reactions: add, change, remove, remove again fails softly', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const message = await send(chat, alice!, room, 'Test message');
  const socket = await chat.connect(bob!);
  socket.send({ event_type: 'message.react', data: { type: 'add', message_id: message.id, reaction_content: '👍' } });
  const added = await socket.event('reaction.dispatch');
  t.is(added.data.status, 'successful');
  t.true(added.data.message.reactions.some((r: any) => r.reaction_content === '👍'));
  socket.send({ event_type: 'message.react', data: { type: 'add', message_id: message.id, reaction_content: '😂' } });
  t.true((await socket.event('reaction.dispatch')).data.message.reactions.some((r: any) => r.reaction_content === '😂'));
  socket.send({ event_type: 'message.react', data: { type: 'remove', message_id: message.id } });
  t.like((await socket.event('reaction.dispatch')).data, { status: 'successful', action: 'remove' });
  socket.send({ event_type: 'message.react', data: { type: 'remove', message_id: message.id } });
  t.like((await socket.event('reaction.dispatch')).data, { status: 'failed', action: 'remove' });
});

test('message.modify: edit ignores read-only fields, delete takes lists, rules give 4002/4003', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const news = await channel(chat, alice!, [bob!]);
  const message = await send(chat, alice!, room, 'Original content');
  const other = await send(chat, alice!, news, 'Channel content');
  const socket = await chat.connect(alice!);
  socket.send({
    event_type: 'message.modify',
    data: { action: 'update', message_id: message.id, extra_fields: { content: 'Edited content', sender_id: bob!.id, room_id: news, is_forwarded: true } },
  });
  const edited = await socket.event('messagemodification.dispatch');
  t.is(edited.data.message.content, 'Edited content');
  t.is(edited.data.message.sender.id, alice!.id);
  t.is(edited.data.message.room.id, room);
  t.false(edited.data.message.is_forwarded);
  socket.send({ event_type: 'message.modify', data: { action: 'update', message_id: message.id } });
  const noFields = await socket.next();
  t.is(noFields.error.code, 4003);
  t.true(JSON.stringify(noFields.error.detail).includes("'extra_fields' field should be provided for update action"));
  socket.send({ event_type: 'message.modify', data: { action: 'delete', message_id: [message.id, other.id] } });
  const mixed = await socket.next();
  t.is(mixed.error.code, 4003);
  t.true(JSON.stringify(mixed.error.detail).includes('All messages marked for modification must come from the same room'));
  const intruder = await chat.connect(bob!);
  intruder.send({ event_type: 'message.modify', data: { action: 'update', message_id: other.id, extra_fields: { content: 'mine' } } });
  t.is((await intruder.next()).error.code, 4002);
  socket.send({ event_type: 'message.modify', data: { action: 'delete', message_id: [message.id] } });
  const deleted = await socket.event('messagemodification.dispatch');
  t.is(deleted.data.action, 'delete');
  t.deepEqual(deleted.data.message_ids, [message.id]);
});

test('message.typing reaches the others with the username, unnumbered', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const [a, b] = [await chat.connect(alice!), await chat.connect(bob!)];
  a.send({ event_type: 'message.typing', data: { room_id: room } });
  const typing = await b.event('messagetyping.dispatch');
  t.is(typing.data.username, alice!.username);
  t.is(typing.room_id, room);
  t.is(typing.seq, undefined);
});

test('room.list, room.info and room.messages answer the asking socket only', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!], { name: 'Test Group' });
  for (let i = 0; i < 12; i++) await send(chat, alice!, room, `Message ${i}`);
  const [asking, otherDevice] = [await chat.connect(alice!), await chat.connect(alice!)];
  asking.send({ event_type: 'room.list' });
  t.is((await asking.next()).data.length, 1);
  asking.send({ event_type: 'room.info', data: { room_id: room } });
  const info = await asking.next();
  t.is(info.eventType, 'roominfo.dispatch');
  t.is(info.data.name, 'Test Group');
  asking.send({ event_type: 'room.messages', data: { room_id: room, paginate: { page: 1, size: 5 } } });
  const page = await asking.next();
  t.is(page.eventType, 'roommessages.dispatch');
  t.is(page.data.data.messages.length, 5);
  t.like(page.data, { has_next: true, has_previous: false, next_page_number: 2, prev_page_number: null });
  asking.send({ event_type: 'room.messages', data: { room_id: room, paginate: { page: 9, size: 5 } } });
  t.like((await asking.next()).data, { has_next: false, has_previous: true, prev_page_number: 2 });
  asking.send({ event_type: 'room.messages', data: { room_id: room, paginate: { page: 1 } } });
  t.true(JSON.stringify((await asking.next()).error.detail).includes('page and size required'));
  asking.send({ event_type: 'room.messages', data: { room_id: room, paginate: {} } });
  t.is((await asking.next()).data.data.messages.length, 12);
  t.deepEqual(await otherDevice.unread(), []);
});

test('join, leave, remove: who hears what', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const news = await channel(chat, alice!, [], { is_public: true });
  const team = await group(chat, alice!, [carol!]);
  const [a, b, c] = [await chat.connect(alice!), await chat.connect(bob!), await chat.connect(carol!)];
  b.send({ event_type: 'room.join', data: { room_id: news } });
  const joined = await b.next();
  t.is(joined.eventType, 'roomaddmembers.dispatch');
  t.true(joined.data.new_members.includes(bob!.username));
  t.is((await a.event('roomaddmembers.dispatch')).data.added_by, 'self');
  b.send({ event_type: 'room.join', data: { room_id: team } });
  const refused = await b.next();
  t.is(refused.error.code, 4003);
  t.true(JSON.stringify(refused.error.detail).includes('Ask an admin to add you to the group'));
  // Bob now hears the channel: he receives what is sent there.
  await send(chat, alice!, news, 'hello subscribers');
  t.is((await b.event('message.dispatch')).data.content, 'hello subscribers');
  b.send({ event_type: 'room.leave', data: { room_id: news } });
  const left = await b.next();
  t.is(left.eventType, 'roomexit.dispatch');
  t.true(left.data.message.includes('You left'));
  t.like((await a.event('roomremovemembers.dispatch')).data, { removed_by: 'self' });
  // ... and no longer.
  await send(chat, alice!, news, 'after you left');
  a.send({ event_type: 'room.remove_members', data: { room_id: team, members: [carol!.id] } });
  t.true((await a.event('roomremovemembers.dispatch')).data.removed_members.includes(carol!.username));
  const removed = await c.next();
  t.is(removed.eventType, 'roomexit.dispatch');
  t.is(removed.data.message, `You have been removed by ${alice!.username}`);
  t.false((await b.unread()).some(f => f.data?.content === 'after you left'));
});

test('the last member leaving deletes the room; room.modify delete is the creator\'s', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const solo = await group(chat, alice!, []);
  const team = await group(chat, alice!, [bob!]);
  await chat.call(alice!, 'POST', `/rooms/${team}/admins`, { users: [bob!.id] });
  const [a, b] = [await chat.connect(alice!), await chat.connect(bob!)];
  a.send({ event_type: 'room.leave', data: { room_id: solo } });
  const deleted = await a.next();
  t.is(deleted.eventType, 'roomdelete.dispatch');
  t.is(deleted.data.room_id, solo);
  b.send({ event_type: 'room.modify', data: { room_id: team, action: 'delete' } });
  t.deepEqual((await b.until(f => 'error' in f)).error, { code: 4002, detail: 'User is not the creator of this room' });
  a.send({ event_type: 'room.modify', data: { room_id: team, action: 'update', data: { name: 'Updated Group Name' } } });
  t.is((await b.event('roomupdate.dispatch')).data.name, 'Updated Group Name');
  a.send({ event_type: 'room.modify', data: { room_id: team, action: 'delete' } });
  t.is((await b.event('roomdelete.dispatch')).data.room_id, team);
});

test('session.heartbeat answers success and keeps the session row fresh', async t => {
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  socket.send({ event_type: 'session.heartbeat', data: {} });
  t.deepEqual(await socket.next(), { status: 'success' });
  t.deepEqual(await socket.request('session.heartbeat', {}, 7), { status: 'success', id: 7 });
  const rows = await chat.orm.em.fork().getConnection().execute('select count(*)::int as n from chat_session where user_id = ?', [alice!.id]);
  t.is(rows[0].n, 1);
  await socket.close();
  await new Promise(resolve => setTimeout(resolve, 200));
  const after = await chat.orm.em.fork().getConnection().execute('select count(*)::int as n from chat_session where user_id = ?', [alice!.id]);
  t.is(after[0].n, 0);
});

test('a request id comes back on the reply, on errors, and as an ack when nothing else answers', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await oneToOne(alice, bob);
  const message = await send(chat, alice!, room, 'x');
  const socket = await chat.connect(alice!);
  const sent = await socket.request('message.send', { room_id: room, content: 'with id' }, 'abc');
  t.is(sent.eventType, 'message.dispatch');
  t.is(sent.data.content, 'with id');
  const failed = await socket.request('message.send', { room_id: randomUUID(), content: 'x' }, 42);
  t.is(failed.error.code, 4004);
  const bobs = await chat.connect(bob!);
  t.deepEqual(await bobs.request('message.acknowledged', { message_id: message.id }, 'ack-me'), { type: 'ack', id: 'ack-me' });
});

test('an upgrade without valid credentials is refused with 401 and no socket', async t => {
  const error = await t.throwsAsync(() => import('./helpers/ws-client.js').then(m => m.TestSocket.open(`${chat.wsUrl}?token=nope.nope`)));
  t.is((error as any).status, 401);
  t.is(JSON.parse((error as any).body).error.code, 'authentication_required');
  const none = await t.throwsAsync(() => import('./helpers/ws-client.js').then(m => m.TestSocket.open(chat.wsUrl)));
  t.is((none as any).status, 401);
});

test('the token may come as a subprotocol, which is echoed; the path may drop its slash', async t => {
  const [alice] = await chat.users('alice');
  const { TestSocket } = await import('./helpers/ws-client.js');
  const socket = await TestSocket.open(chat.wsUrl, { protocols: ['chat', chat.token(alice!)] });
  t.is(socket.ws.protocol, 'chat');
  t.is((await socket.next()).eventType, 'chat.notifications');
  await socket.close();
  const bare = await TestSocket.open(`${chat.wsUrl.replace(/\/$/, '')}?token=${chat.token(alice!)}`);
  t.is((await bare.next()).eventType, 'chat.notifications');
  await bare.close();
});
