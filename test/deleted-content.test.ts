/**
 * What was deleted, edited or taken away stays gone, in both delete modes: a replay (`session.resume`)
 * shows messages as the rows show them now and never from before the member joined; forwards are
 * snapshots; replies stay in their room; a removed member's notifications go; every form of
 * history shows the same messages.
 */
import test from 'ava';
import { defineChatSettings, model } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';
import type { ChatServer } from './helpers/chat-server.js';
import type { TestSocket } from './helpers/ws-client.js';

const modes: [string, ChatServer][] = [
  ['hard delete', useChatServer(defineChatSettings())],
  ['soft delete', useChatServer(defineChatSettings({ messageSoftDelete: true }))],
];

/** Resumes a socket opened with `?resume=1` from `seq` in `room`; returns every frame up to `resume.complete`. */
async function resume(socket: TestSocket, room: string, seq: number): Promise<any[]> {
  const complete = await socket.request('session.resume', { rooms: { [room]: seq } });
  if (complete.eventType !== 'resume.complete') throw new Error(`resume failed: ${JSON.stringify(complete)}`);
  return socket.frames.slice(0, socket.frames.indexOf(complete) + 1);
}

/** The room's latest event number. */
async function latestSeq(chat: ChatServer, room: string): Promise<number> {
  const rows = (await chat.orm.em.fork().getConnection().execute('select event_seq from chat_room where id = ?', [room])) as { event_seq: string }[];
  return Number(rows[0]!.event_seq);
}

for (const [mode, chat] of modes) {
  test(`${mode}: a replay never shows deleted text, nor text from before an edit`, async t => {
    const [alice, bob] = await chat.users('alice', 'bob');
    const room = await group(chat, alice!, [bob!]);
    const from = await latestSeq(chat, room);
    const secret = await send(chat, alice!, room, 'the deleted secret');
    const edited = await send(chat, alice!, room, 'the first draft');
    const reacted = await send(chat, alice!, room, 'reacted then deleted');
    await chat.call(bob!, 'POST', `/messages/${reacted.id}/reactions`, { reaction_content: '👍' });
    await chat.call(bob!, 'POST', '/messages/read', { message_ids: [secret.id, edited.id] });
    t.is((await chat.call(alice!, 'PATCH', `/messages/${edited.id}`, { content: 'the final text' })).status, 200);
    t.is((await chat.call(alice!, 'POST', '/messages/delete', { message_ids: [secret.id, reacted.id] })).status, 200);
    const socket = await chat.connect(bob!, { resume: true });
    const text = JSON.stringify(await resume(socket, room, from));
    for (const gone of ['the deleted secret', 'the first draft', 'reacted then deleted']) t.false(text.includes(gone), `"${gone}" is not replayed`);
    const replayed = socket.frames.filter(f => f.room_id === room);
    const dispatched = replayed.filter(f => f.eventType === 'message.dispatch').map(f => f.data.id);
    t.deepEqual(dispatched, [edited.id], 'only the message that still exists is replayed');
    t.is(replayed.find(f => f.eventType === 'message.dispatch').data.content, 'the final text');
    const receipt = replayed.find(f => f.eventType === 'readreceipt.dispatch');
    t.deepEqual(receipt.data.map((m: any) => m.id), [edited.id], 'a bulk read shows only what is left');
    t.false(replayed.some(f => f.eventType === 'reaction.dispatch'), 'a reaction to a deleted message is not replayed');
    t.true(replayed.some(f => f.eventType === 'messagemodification.dispatch' && f.data.action === 'delete'), 'the deletion itself is replayed');
    const seqs = replayed.map(f => f.seq);
    t.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
    // Live events flow after the replay.
    await send(chat, alice!, room, 'live');
    t.is((await socket.until(f => f.eventType === 'message.dispatch' && f.data.content === 'live')).room_id, room);
  });

  test(`${mode}: the room log itself holds no message text`, async t => {
    const [alice, bob] = await chat.users('alice', 'bob');
    const room = await group(chat, alice!, [bob!]);
    const message = await send(chat, alice!, room, 'not in the log');
    await chat.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '🎉' });
    await chat.call(alice!, 'PATCH', `/messages/${message.id}`, { content: 'edited, not in the log either' });
    const rows = (await chat.orm.em.fork().getConnection().execute('select payload::text as payload from chat_room_event where room_id = ?', [room])) as { payload: string }[];
    t.true(rows.length >= 4);
    t.false(rows.some(r => r.payload.includes('not in the log')), 'the log refers to messages, it does not copy them');
  });

  test(`${mode}: a replay starts where the member joined, whatever position they ask for`, async t => {
    const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
    const room = await group(chat, alice!, [bob!]);
    await send(chat, alice!, room, 'before carol joined');
    t.is((await chat.call(alice!, 'POST', `/rooms/${room}/members`, { members: [carol!.id] })).status, 200);
    await send(chat, alice!, room, 'after carol joined');
    const socket = await chat.connect(carol!, { resume: true });
    const text = JSON.stringify(await resume(socket, room, 0));
    t.false(text.includes('before carol joined'));
    t.true(text.includes('after carol joined'));
    const first = socket.frames.find(f => f.room_id === room);
    t.is(first.eventType, 'roomaddmembers.dispatch', 'the replay starts with the event that added her');
  });

  test(`${mode}: a member removed and added again gets nothing from while they were out`, async t => {
    const [alice, bob] = await chat.users('alice', 'bob');
    const room = await group(chat, alice!, [bob!]);
    const from = await latestSeq(chat, room);
    await chat.call(alice!, 'DELETE', `/rooms/${room}/members/${bob!.id}`);
    await send(chat, alice!, room, 'while bob was out');
    await chat.call(alice!, 'POST', `/rooms/${room}/members`, { members: [bob!.id] });
    const socket = await chat.connect(bob!, { resume: true });
    t.false(JSON.stringify(await resume(socket, room, from)).includes('while bob was out'));
  });
}

const [, chat] = modes[0]!;

test('a member removed from a room hears nothing more of it, even from a log read already under way', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const socket = await chat.connect(bob!);
  await send(chat, alice!, room, 'bob may see this');
  await socket.until(f => f.eventType === 'message.dispatch');
  const cursor = [...chat.realtime.hub.sockets.ofUser(bob!.id)][0]!.cursors.get(room)!;
  await chat.call(alice!, 'DELETE', `/rooms/${room}/members/${bob!.id}`);
  await socket.until(f => f.eventType === 'roomexit.dispatch');
  await send(chat, alice!, room, 'after bob was removed');
  cursor.catchUp(); // what a resync, or a fill already started, would do with the old cursor
  const late = await socket.unread(300);
  t.false(JSON.stringify(late).includes('after bob was removed'));
});
const [, softChat] = modes[1]!;

test('a resume position past the latest event is refused, and the room is not silenced', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const latest = await latestSeq(chat, room);
  const socket = await chat.connect(bob!, { resume: true });
  for (const seq of [1e300, latest + 5, Number.MAX_SAFE_INTEGER + 2, -1, 1.5]) {
    const refused = await socket.request('session.resume', { rooms: { [room]: seq } });
    t.is(refused.error?.code, 4003, `seq ${seq}`);
    t.deepEqual(Object.keys(refused.error.detail), ['rooms']);
  }
  const complete = await socket.request('session.resume', { rooms: { [room]: latest } });
  t.is(complete.data.rooms[room], latest);
  await send(chat, alice!, room, 'still heard');
  t.is((await socket.until(f => f.eventType === 'message.dispatch')).data.content, 'still heard');
});

test('a forward is a snapshot: the original\'s later edits, reactions and receipts never show through it', async t => {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const source = await group(chat, alice!, [bob!]);
  const target = await group(chat, bob!, [carol!]);
  const original = await send(chat, alice!, source, { content: 'as forwarded', media: [{ media_url: 'https://cdn.example/a.png', media_type: 'image' }] });
  const forwarded = await chat.call(bob!, 'POST', `/messages/${original.id}/forward`, { room_id: target });
  t.is(forwarded.status, 201, JSON.stringify(forwarded.body));
  await chat.call(alice!, 'PATCH', `/messages/${original.id}`, { content: 'edited later' });
  await chat.call(bob!, 'POST', `/messages/${original.id}/reactions`, { reaction_content: '👀' });
  await chat.call(bob!, 'POST', '/messages/read', { message_ids: [original.id] });
  await chat.call(alice!, 'DELETE', `/rooms/${source}/members/${bob!.id}`);
  for (const viewer of [bob!, carol!]) {
    const shown = (await chat.call(viewer, 'GET', `/rooms/${target}/messages`)).body.results[0];
    t.is(shown.content, 'Media Files');
    t.deepEqual(shown.attachments.map((a: any) => a.media_url), ['https://cdn.example/a.png'], 'the forward keeps its own copy of the attachments');
    t.deepEqual(Object.keys(shown.forwarded_from).sort(), ['created_at', 'id', 'sender']);
    t.is(shown.forwarded_from.sender.username, alice!.username);
    t.false(JSON.stringify(shown).includes('edited later'));
    t.false(JSON.stringify(shown).includes('👀'));
  }
  await chat.call(alice!, 'DELETE', `/messages/${original.id}`);
  const after = (await chat.call(carol!, 'GET', `/rooms/${target}/messages`)).body.results[0];
  t.is(after.forwarded_from, null, 'a deleted original leaves the forward, not its own content');
  t.deepEqual(after.attachments.length, 1);
});

test('a reply points at a message of its own room only', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const one = await group(chat, alice!, [bob!]);
  const two = await group(chat, alice!, []);
  const elsewhere = await send(chat, alice!, one, 'in room one');
  const refused = await chat.call(alice!, 'POST', `/rooms/${two}/messages`, { content: 'reply', parent_message_id: elsewhere.id });
  t.is(refused.status, 400);
  t.deepEqual(Object.keys(refused.body.error.details), ['parent_message_id']);
  const here = await chat.call(alice!, 'POST', `/rooms/${one}/messages`, { content: 'reply', parent_message_id: elsewhere.id });
  t.is(here.body.parent_message.content, 'in room one');
});

test('soft delete: a reply to a deleted message shows a tombstone, not the parent', async t => {
  const [alice, bob] = await softChat.users('alice', 'bob');
  const room = await group(softChat, alice!, [bob!]);
  const parent = await send(softChat, alice!, room, 'parent text');
  await softChat.call(bob!, 'POST', `/messages/${parent.id}/reactions`, { reaction_content: '👍' });
  const reply = await send(softChat, bob!, room, { content: 'a reply', parent_message_id: parent.id });
  await softChat.call(alice!, 'DELETE', `/messages/${parent.id}`);
  const shown = (await softChat.call(bob!, 'GET', `/rooms/${room}/messages`)).body.results.find((m: any) => m.id === reply.id);
  t.deepEqual(shown.parent_message, { id: parent.id, content: '', is_deleted: true });
});

for (const [mode, server] of modes) {
  test(`${mode}: a removed member's pending notifications of the room go, and so do those of deleted messages`, async t => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    const room = await group(server, alice!, [bob!, carol!]);
    const kept = await group(server, alice!, [bob!]);
    const message = await send(server, alice!, room, 'bob never read this');
    const other = await send(server, alice!, kept, 'in a room bob keeps');
    const doomed = await send(server, alice!, kept, 'deleted before bob saw it');
    t.is((await server.call(alice!, 'DELETE', `/rooms/${room}/members/${bob!.id}`)).status, 200);
    await server.call(alice!, 'PATCH', `/messages/${message.id}`, { content: 'edited after bob left' });
    await server.call(alice!, 'DELETE', `/messages/${doomed.id}`);
    const pending = (await server.call(bob!, 'GET', '/notifications')).body;
    t.deepEqual(Object.keys(pending), [kept]);
    t.deepEqual(pending[kept].map((n: any) => n.message.id), [other.id]);
    const socket = await server.connect(bob!, { first: false });
    const first = await socket.event('chat.notifications');
    t.false(JSON.stringify(first.data).includes('edited after bob left'));
    t.deepEqual(Object.keys(first.data), [kept]);
    t.is((await server.call(bob!, 'POST', '/messages/delivered', { message_ids: [other.id] })).status, 200);
    // Carol, still a member, keeps hers.
    t.deepEqual(Object.keys((await server.call(carol!, 'GET', '/notifications')).body), [room]);
    // Leaving drops them too.
    await server.call(carol!, 'POST', `/rooms/${room}/leave`);
    t.deepEqual((await server.call(carol!, 'GET', '/notifications')).body, {});
    const rows = await server.orm.em.fork().count(model('ChatNotification'), { message: message.id } as never);
    t.is(rows, 0, 'a notification left without recipients is deleted');
  });
}

test('soft delete: every form of history shows the same messages, deleted ones in none of them', async t => {
  const [alice, bob] = await softChat.users('alice', 'bob');
  const room = await group(softChat, alice!, [bob!]);
  const kept = [];
  for (let i = 0; i < 6; i++) {
    const message = await send(softChat, alice!, room, { content: `message ${i}`, media: i === 1 ? [{ media_url: 'https://cdn.example/x.png', media_type: 'image' }] : undefined });
    if (i % 2 === 0) kept.push(message.id);
    else await softChat.call(alice!, 'DELETE', `/messages/${message.id}`);
  }
  const expected = [...kept].reverse();
  const socket = await softChat.connect(bob!);
  const unpaged = await socket.request('room.messages', { room_id: room });
  const emptyPaginate = await socket.request('room.messages', { room_id: room, paginate: {} });
  const paged = await socket.request('room.messages', { room_id: room, paginate: { page: 1, size: 10 } });
  const smallPages = [1, 2].map(page => socket.request('room.messages', { room_id: room, paginate: { page, size: 2 } }));
  const history = await socket.request('room.history', { room_id: room });
  const rest = (await softChat.call(bob!, 'GET', `/rooms/${room}/messages`)).body;
  for (const [form, ids] of [
    ['room.messages', unpaged.data.data.messages.map((m: any) => m.id)],
    ['room.messages with paginate {}', emptyPaginate.data.data.messages.map((m: any) => m.id)],
    ['room.messages page 1 of 10', paged.data.data.messages.map((m: any) => m.id)],
    ['room.messages pages of 2', (await Promise.all(smallPages)).flatMap(p => p.data.data.messages.map((m: any) => m.id))],
    ['room.history', history.data.results.map((m: any) => m.id)],
    ['GET messages', rest.results.map((m: any) => m.id)],
  ] as [string, string[]][]) {
    t.deepEqual(ids.slice(0, 3), expected, form);
  }
  t.false(paged.data.has_next);
  t.is(await softChat.orm.em.fork().count(model('MessageMediaAsset'), { message: { room } } as never), 0, 'a soft-deleted message keeps no attachments');
});
