/**
 * Payloads as the original's clients read them: each room type shows its own fields only, and an
 * idempotent repeat (a second read, the same reaction again) still answers the asker with the
 * dispatch it waits for, while telling nobody else.
 */
import test from 'ava';
import { defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { channel, group, send } from './helpers/rooms.js';

const chat = useChatServer(defineChatSettings());

const GROUP_ONLY = ['name', 'description', 'creator', 'avatar', 'admins', 'max_participants', 'group_locked', 'join_approval_required'];
const CHANNEL_ONLY = ['subscribers', 'moderators', 'is_public', 'max_subscribers'];

test('each room type shows its own fields, not the other types\' columns of the shared table', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const direct = (await chat.call(alice!, 'POST', '/rooms', { type: 'OneToOneChat', participants: [bob!.id] })).body;
  for (const field of [...GROUP_ONLY, ...CHANNEL_ONLY, 'pair_key']) t.false(field in direct, `a one-to-one chat has no ${field}`);
  t.deepEqual(direct.participants.map((u: any) => u.username).sort(), [alice!.username, bob!.username].sort());
  const news = (await chat.call(alice!, 'GET', `/rooms/${await channel(chat, alice!, [bob!])}`)).body;
  t.false('participants' in news, 'a channel has subscribers, not participants');
  for (const field of ['admins', 'max_participants', 'group_locked', 'pair_key']) t.false(field in news, `a channel has no ${field}`);
  const team = (await chat.call(alice!, 'GET', `/rooms/${await group(chat, alice!, [bob!])}`)).body;
  for (const field of [...CHANNEL_ONLY, 'pair_key']) t.false(field in team, `a group has no ${field}`);
  const listed = (await chat.call(alice!, 'GET', '/rooms')).body.find((r: any) => r.id === direct.id);
  for (const field of ['name', 'creator', 'pair_key']) t.false(field in listed, `a listed one-to-one chat has no ${field}`);
  t.is(listed.peer.username, bob!.username);
});

test('reading again answers the asker with readreceipt.dispatch and tells nobody else', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const message = await send(chat, alice!, room, 'read me twice');
  const reader = await chat.connect(bob!);
  const sender = await chat.connect(alice!);
  reader.send({ event_type: 'message.read', data: { message_id: message.id } });
  t.is((await reader.event('readreceipt.dispatch')).data.id, message.id);
  t.is((await sender.event('readreceipt.dispatch')).data.id, message.id);
  reader.send({ event_type: 'message.read', data: { message_id: message.id } });
  const again = await reader.event('readreceipt.dispatch');
  t.is(again.data.id, message.id, 'the original\'s client waiting for its dispatch gets it');
  t.is(again.data.read_receipts.length, 1, 'still one receipt');
  t.deepEqual((await sender.unread(300)).filter(f => f.eventType === 'readreceipt.dispatch'), [], 'the room hears nothing new');
  reader.send({ event_type: 'message.read', data: { message_id: [message.id] } });
  t.true(Array.isArray((await reader.event('readreceipt.dispatch')).data), 'a list asked gives a list back');
});

test('the same reaction again answers the asker with reaction.dispatch and tells nobody else', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const message = await send(chat, alice!, room, 'react twice');
  const reactor = await chat.connect(bob!);
  const sender = await chat.connect(alice!);
  const react = { type: 'add', message_id: message.id, reaction_content: '👍' };
  reactor.send({ event_type: 'message.react', data: react });
  await reactor.event('reaction.dispatch');
  await sender.event('reaction.dispatch');
  reactor.send({ event_type: 'message.react', data: react });
  const again = await reactor.event('reaction.dispatch');
  t.like(again.data, { status: 'successful', type: 'add' });
  t.is(again.data.message.reactions.length, 1);
  t.deepEqual((await sender.unread(300)).filter(f => f.eventType === 'reaction.dispatch'), []);
});
