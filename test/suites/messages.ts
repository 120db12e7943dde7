/** Messages over the REST API: replies, forwards, edits, deletes, reactions, receipts, delivery, notifications, idempotent sends. */
import test from 'ava';
import { model } from '../../src/index.js';
import type { Api } from '../helpers/api.js';
import { group, send } from '../helpers/rooms.js';

/** The id of a related message, whether the serializer nests it or shows its id (the guide's custom serializer). */
const idOf = (value: unknown) => (typeof value === 'string' ? value : (value as { id?: string } | null)?.id);

export function messagesSuite(api: Api): void {
  test('a reply nests its parent, and notifies every member but the sender as a REPLY', async t => {
    const [alice, bob, carol] = await api.users('alice', 'bob', 'carol');
    const room = await group(api, alice!, [bob!, carol!]);
    const first = await send(api, alice!, room, 'question?');
    const reply = await send(api, bob!, room, { content: 'answer', parent_message_id: first.id });
    t.is(idOf(reply.parent_message), first.id);
    if (typeof reply.parent_message === 'object') t.is(reply.parent_message.content, 'question?');
    const pushed = api.notifier.sent.filter(n => n.messageId === reply.id);
    t.is(pushed.length, 1);
    t.like(pushed[0], { type: 'REPLY', roomId: room, messageId: reply.id, senderId: bob!.id });
    t.deepEqual([...pushed[0]!.recipientIds].sort(), [alice!.id, carol!.id].sort());
    const pending = await api.call(carol!, 'GET', '/notifications');
    t.is(pending.status, 200);
    t.deepEqual(pending.body[room].map((n: any) => [n.notification_type, n.message.id]), [['NEW_MESSAGE', first.id], ['REPLY', reply.id]]);
  });

  test('a message is forwarded to another room the sender may post in, keeping where it came from', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const source = await group(api, alice!, [bob!]);
    const target = await group(api, bob!, []);
    const original = await send(api, alice!, source, 'worth sharing');
    const forwarded = await api.call(bob!, 'POST', `/messages/${original.id}/forward`, { room_id: target });
    t.is(forwarded.status, 201, JSON.stringify(forwarded.body));
    t.like(forwarded.body, { is_forwarded: true, content: 'worth sharing', room: { id: target } });
    t.is(idOf(forwarded.body.forwarded_from), original.id);
    const elsewhere = await group(api, alice!, []);
    const refused = await api.call(bob!, 'POST', `/messages/${original.id}/forward`, { room_id: elsewhere });
    t.is(refused.status, 400, 'a room the sender is not in is answered like one that does not exist');
    t.deepEqual(Object.keys(refused.body.error.details), ['room_id']);
  });

  test('the sender edits a message; the edit is sanitised and marked; nobody else may edit it', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const message = await send(api, alice!, room, 'draft');
    const edited = await api.call(alice!, 'PATCH', `/messages/${message.id}`, { content: 'final <img src=x onerror=alert(1)>' });
    t.is(edited.status, 200, JSON.stringify(edited.body));
    t.like(edited.body, { status: 'successful', action: 'update', message: { content: 'final ', is_edited: true } });
    const stranger = await api.call(bob!, 'PATCH', `/messages/${message.id}`, { content: 'mine now' });
    t.is(stranger.status, 403);
    const empty = await api.call(alice!, 'PATCH', `/messages/${message.id}`, {});
    t.is(empty.status, 400);
    t.is(empty.body.error.message, 'Content should be provided for update action');
  });

  test('a reaction is added once, replaced by another, and removed', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const message = await send(api, alice!, room, 'react to me');
    const first = await api.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '👍' });
    t.is(first.status, 200, JSON.stringify(first.body));
    t.like(first.body, { status: 'successful', type: 'add' });
    t.deepEqual(first.body.message.reactions.map((r: any) => r.reaction_content), ['👍']);
    const again = await api.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '👍' });
    t.is(again.status, 200);
    const reactionEvents = api.published.flatMap(o => o.events).filter(e => e.eventType === 'reaction.dispatch' && 'room' in e.audience && e.audience.room === room);
    t.is(reactionEvents.length, 1, 'the same reaction twice is one event');
    const replaced = await api.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '🎉' });
    t.deepEqual(replaced.body.message.reactions.map((r: any) => r.reaction_content), ['🎉']);
    const em = api.orm.em.fork();
    t.is(await em.count(model('Reaction'), { message: message.id } as never), 1);
    const removed = await api.call(bob!, 'DELETE', `/messages/${message.id}/reactions`);
    t.like(removed.body, { status: 'successful', action: 'remove' });
    t.deepEqual(removed.body.message.reactions, []);
    const nothing = await api.call(bob!, 'DELETE', `/messages/${message.id}/reactions`);
    t.is(nothing.body.status, 'failed');
    const empty = await api.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '' });
    t.is(empty.status, 400);
  });

  test('reading is idempotent, works in bulk and up to a message, and clears the unread count', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const messages = [];
    for (const text of ['one', 'two', 'three', 'four']) messages.push(await send(api, alice!, room, text));
    const unread = async () => (await api.call(bob!, 'GET', '/rooms')).body.find((r: any) => r.id === room).unread_count;
    t.is(await unread(), 4);
    const single = await api.call(bob!, 'POST', '/messages/read', { message_id: messages[0].id });
    t.is(single.status, 200, JSON.stringify(single.body));
    t.is(single.body.length, 1);
    t.is((await api.call(bob!, 'POST', '/messages/read', { message_id: messages[0].id })).status, 200, 'reading twice is not an error');
    t.is(await api.orm.em.fork().count(model('ReadReceipt'), { message: messages[0].id } as never), 1);
    t.is(await unread(), 3);
    const upTo = await api.call(bob!, 'POST', `/rooms/${room}/read`, { message_id: messages[2].id });
    t.is(upTo.status, 200, JSON.stringify(upTo.body));
    t.deepEqual(upTo.body.map((m: any) => m.id), [messages[1].id, messages[2].id]);
    t.is(await unread(), 1);
    const bulk = await api.call(bob!, 'POST', '/messages/read', { message_ids: [messages[3].id, messages[2].id] });
    t.deepEqual(bulk.body.map((m: any) => m.id), [messages[3].id]);
    t.is(await unread(), 0);
    t.is((await api.call(alice!, 'GET', '/rooms')).body.find((r: any) => r.id === room).unread_count, 0, 'own messages are never unread');
  });

  test('delivery acknowledgement records the delivery, tells the sender, and clears the notification', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const message = await send(api, alice!, room, 'are you there?');
    t.is((await api.call(bob!, 'GET', '/notifications')).body[room].length, 1);
    const acknowledged = await api.call(bob!, 'POST', '/messages/delivered', { message_ids: [message.id] });
    t.is(acknowledged.status, 200, JSON.stringify(acknowledged.body));
    t.deepEqual(acknowledged.body[alice!.id].map((m: any) => m.id), [message.id]);
    const events = api.published.flatMap(o => o.events).filter(e => e.eventType === 'messagedelivered.dispatch' && 'users' in e.audience && e.audience.users.includes(alice!.id));
    t.deepEqual(events.map(e => [e.eventType, e.audience]), [['messagedelivered.dispatch', { users: [alice!.id] }]]);
    t.deepEqual((await api.call(bob!, 'GET', '/notifications')).body, {});
    const em = api.orm.em.fork();
    const stored = (await em.findOneOrFail(model('Message'), { id: message.id } as never, { populate: ['deliveredTo'] as never })) as any;
    t.deepEqual(stored.deliveredTo.getItems().map((u: any) => u.id), [bob!.id]);
  });

  test('a message sent twice with the same client id is stored once and returned both times', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const clientId = '7b1f4c2e-9d3a-4e5f-8a6b-1c2d3e4f5a6b';
    const first = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'once', client_id: clientId });
    const second = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'once', client_id: clientId });
    t.is(first.status, 201);
    t.is(second.status, 200);
    t.is(first.body.id, clientId);
    t.deepEqual(second.body.id, first.body.id);
    t.is(await api.orm.em.fork().count(model('Message'), { room } as never), 1);
    const [bob] = await api.users('bob');
    const other = await group(api, bob!, []);
    const stolen = await api.call(bob!, 'POST', `/rooms/${other}/messages`, { content: 'x', client_id: clientId });
    t.is(stolen.status, 409);
  });

  test('concurrent sends with one client id create one message', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const clientId = 'c0ffee00-1234-4abc-8def-0123456789ab';
    const results = await Promise.all(Array.from({ length: 5 }, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'race', client_id: clientId })));
    t.true(results.every(r => r.body.id === clientId), JSON.stringify(results.map(r => r.status)));
    t.is(results.filter(r => r.status === 201).length, 1);
    t.is(await api.orm.em.fork().count(model('Message'), { room } as never), 1);
  });

  test('a media message stores its attachments; a bad attachment stores nothing', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const media = [
      { media_url: 'https://cdn.example/a.png', media_type: 'image', mime_type: 'image/png', file_size: 10 },
      { media_url: 'https://cdn.example/b.pdf', media_type: 'file', mime_type: 'application/pdf', metadata: { pages: 2 } },
    ];
    const sent = await send(api, alice!, room, { content: 'ignored', media });
    t.is(sent.content, 'Media Files');
    t.deepEqual(sent.attachments.map((a: any) => a.mime_type).sort(), ['application/pdf', 'image/png']);
    const before = await api.orm.em.fork().count(model('Message'), { room } as never);
    const bad = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [media[0], { ...media[1], mime_type: 'application/x-sh' }] });
    t.is(bad.status, 400);
    t.deepEqual(bad.body.error.details, { mime_type: ['mime_type must be one of the allowed MIME types'] });
    t.is(await api.orm.em.fork().count(model('Message'), { room } as never), before, 'nothing half-written');
  });

  test('a hard delete removes the message with its reactions and receipts; the room points at the previous message', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const kept = await send(api, alice!, room, 'kept');
    const gone = await send(api, alice!, room, 'gone');
    await api.call(bob!, 'POST', `/messages/${gone.id}/reactions`, { reaction_content: '👍' });
    await api.call(bob!, 'POST', '/messages/read', { message_id: gone.id });
    const deleted = await api.call(alice!, 'DELETE', `/messages/${gone.id}`);
    t.is(deleted.status, 200, JSON.stringify(deleted.body));
    t.like(deleted.body, { status: 'successful', action: 'delete', message_ids: [gone.id] });
    const em = api.orm.em.fork();
    t.is(await em.count(model('Message'), { id: gone.id } as never), 0);
    t.is(await em.count(model('Reaction'), { message: gone.id } as never), 0);
    t.is(await em.count(model('ReadReceipt'), { message: gone.id } as never), 0);
    const info = (await api.call(alice!, 'GET', '/rooms')).body.find((r: any) => r.id === room);
    t.is(info.last_message.id, kept.id);
  });
}
