/** The WebSocket protocol with the guide's custom message and serializer swapped in: payloads follow the swap. */
import test from 'ava';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings } from '../fixtures/custom-message/settings.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group } from './helpers/rooms.js';

const chat = useChatServer(settings, {}, [CustomMessage]);

test('custom fields go in through extra_fields and come out in every member\'s message.dispatch', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const [sender, reader] = [await chat.connect(alice!), await chat.connect(bob!)];
  const sent = await sender.request('message.send', { room_id: room, content: 'ship it', extra_fields: { priority: 'urgent', is_pinned: true } });
  t.like(sent.data, { content: 'ship it', priority: 'urgent', is_pinned: false });
  t.like((await reader.event('message.dispatch')).data, { id: sent.data.id, priority: 'urgent' });
  const stored = await chat.orm.em.fork().findOneOrFail(CustomMessage, sent.data.id);
  t.is(stored.priority, 'urgent');
  const invalid = await sender.request('message.send', { room_id: room, content: 'x', extra_fields: { priority: 'critical' } });
  t.deepEqual(invalid.error, { code: 4003, detail: { priority: ['priority must be one of the following values: low, normal, high, urgent'] } });
});

test('a resumed client gets the missed messages as the custom serializer showed them', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const first = await (await chat.connect(bob!)).request('message.send', { room_id: room, content: 'seen' });
  const sender = await chat.connect(alice!);
  await sender.request('message.send', { room_id: room, content: 'missed', extra_fields: { priority: 'high' } });
  const socket = await chat.connect(bob!, { resume: true });
  socket.send({ event_type: 'session.resume', data: { rooms: { [room]: first.seq } } });
  t.like((await socket.event('message.dispatch')).data, { content: 'missed', priority: 'high' });
  t.deepEqual((await socket.event('resume.complete')).data.refetch, []);
});
