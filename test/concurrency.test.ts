/**
 * The invariants hold when requests race: each race below is run many times with the requests
 * in flight together, and the stored rows are checked afterwards. The database enforces them
 * (row locks, unique keys), not a read-then-write in the engine.
 */
import test from 'ava';
import { defineChatSettings, model, type AbstractUser } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';
import type { Api } from './helpers/api.js';

// No rate limit: each test fires many requests as one user at once on purpose.
const soft = useApi(defineChatSettings({ messageSoftDelete: true }), [], { rateLimit: null });
const hard = useApi(defineChatSettings(), [], { rateLimit: null });

/** How many times each race runs. */
const ROUNDS = 10;

const statuses = (responses: { status: number }[]) => responses.map(r => r.status).sort();

/** The members of a room as stored. */
async function storedMembers(api: Api, roomId: string, relation = 'participants'): Promise<string[]> {
  const rows = (await api.orm.em.fork().getConnection().execute(`select user_id from chat_room_${relation} where room_id = ?`, [roomId])) as { user_id: string }[];
  return rows.map(r => r.user_id);
}

test('soft delete: an edit racing a delete never writes content into the deleted message', async t => {
  const [alice, bob] = await soft.users('alice', 'bob');
  const room = await group(soft, alice!, [bob!]);
  const messages = await Promise.all(Array.from({ length: 3 * ROUNDS }, (_, i) => send(soft, alice!, room, `original ${i}`)));
  const outcomes = await Promise.all(
    messages.map(message =>
      Promise.all([soft.call(alice!, 'PATCH', `/messages/${message.id}`, { content: 'edited' }), soft.call(alice!, 'DELETE', `/messages/${message.id}`)]),
    ),
  );
  const em = soft.orm.em.fork();
  for (const [i, [edit, removal]] of outcomes.entries()) {
    const row = (await em.findOneOrFail(model('Message'), { id: messages[i].id } as never)) as any;
    t.is(removal.status, 200, 'the delete always lands');
    t.true(row.isDeleted);
    t.is(row.content, '', `message ${i}: a deleted message keeps no content (the edit answered ${edit.status})`);
    t.true(edit.status === 200 || edit.status === 404, `the edit either landed first or found nothing: ${edit.status}`);
  }
});

test('hard delete: an edit racing a delete either lands first or finds nothing', async t => {
  const [alice] = await hard.users('alice');
  const room = await group(hard, alice!, []);
  for (let round = 0; round < ROUNDS; round++) {
    const message = await send(hard, alice!, room, 'original');
    const [edit, removal] = await Promise.all([hard.call(alice!, 'PATCH', `/messages/${message.id}`, { content: 'edited' }), hard.call(alice!, 'DELETE', `/messages/${message.id}`)]);
    t.is(removal.status, 200);
    t.true(edit.status === 200 || edit.status === 404, String(edit.status));
    t.is(await hard.orm.em.fork().count(model('Message'), { id: message.id } as never), 0);
  }
});

test('concurrent additions never take a group past max_participants', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [owner, ...others] = await hard.users('owner', 'a', 'b', 'c');
    const room = await group(hard, owner!, [], { max_participants: 2 });
    const adds = await Promise.all(others.map(user => hard.call(owner!, 'POST', `/rooms/${room}/members`, { members: [user.id] })));
    t.deepEqual(statuses(adds), [200, 400, 400], JSON.stringify(adds.map(a => a.body)));
    t.is((await storedMembers(hard, room)).length, 2);
  }
});

test('concurrent joins never take a public channel past max_subscribers', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [owner, ...others] = await hard.users('owner', 'a', 'b', 'c');
    const created = await hard.call(owner!, 'POST', '/rooms', { type: 'Channel', name: 'news', is_public: true, max_subscribers: 2 });
    const room = created.body.id as string;
    const joins = await Promise.all(others.map(user => hard.call(user, 'POST', `/rooms/${room}/join`)));
    t.deepEqual(statuses(joins), [200, 400, 400]);
    t.is((await storedMembers(hard, room, 'subscribers')).length, 2);
  }
});

test('when the last two members leave at once, the room is deleted', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [alice, bob] = await hard.users('alice', 'bob');
    const room = await group(hard, alice!, [bob!]);
    const leaves = await Promise.all([alice!, bob!].map(user => hard.call(user, 'POST', `/rooms/${room}/leave`)));
    t.deepEqual(statuses(leaves), [200, 200]);
    t.is(await hard.orm.em.fork().count(model('GroupChat'), { id: room } as never), 0, 'no empty room survives');
    t.deepEqual(await storedMembers(hard, room), []);
  }
});

test('the same reaction sent fifty times at once is one reaction and fifty successes', async t => {
  const [alice, bob] = await hard.users('alice', 'bob');
  const room = await group(hard, alice!, [bob!]);
  const message = await send(hard, alice!, room, 'react to me');
  const reactions = await Promise.all(Array.from({ length: 50 }, () => hard.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: '👍' })));
  t.deepEqual([...new Set(statuses(reactions))], [200], JSON.stringify(reactions.find(r => r.status !== 200)?.body));
  t.is(await hard.orm.em.fork().count(model('Reaction'), { message: message.id } as never), 1);
});

test('different reactions racing leave exactly one reaction of the user', async t => {
  const [alice, bob] = await hard.users('alice', 'bob');
  const room = await group(hard, alice!, [bob!]);
  const message = await send(hard, alice!, room, 'react to me');
  const reactions = await Promise.all(['👍', '❤️', '😂', '🎉', '👀'].map(reaction_content => hard.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content })));
  t.deepEqual([...new Set(statuses(reactions))], [200]);
  t.is(await hard.orm.em.fork().count(model('Reaction'), { message: message.id } as never), 1);
});

test('creating the same one-to-one chat from both sides at once gives one chat to everyone', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [alice, bob] = await hard.users('alice', 'bob');
    const pairs: [AbstractUser, AbstractUser][] = [
      [alice!, bob!],
      [bob!, alice!],
      [alice!, bob!],
      [bob!, alice!],
    ];
    const created = await Promise.all(pairs.map(([me, other]) => hard.call(me, 'POST', '/rooms', { type: 'OneToOneChat', participants: [other.id] })));
    t.true(created.every(r => r.status === 200 || r.status === 201), JSON.stringify(created.map(r => [r.status, r.body.error])));
    t.is(created.filter(r => r.status === 201).length, 1, 'one request created it');
    t.is(new Set(created.map(r => r.body.id)).size, 1, 'everyone got the same chat');
  }
});

test('reading and acknowledging one message from several devices at once stores one receipt and one delivery', async t => {
  const [alice, bob] = await hard.users('alice', 'bob');
  const room = await group(hard, alice!, [bob!]);
  for (let round = 0; round < ROUNDS; round++) {
    const message = await send(hard, alice!, room, `round ${round}`);
    const calls = await Promise.all([
      ...Array.from({ length: 4 }, () => hard.call(bob!, 'POST', '/messages/read', { message_ids: [message.id] })),
      ...Array.from({ length: 4 }, () => hard.call(bob!, 'POST', '/messages/delivered', { message_ids: [message.id] })),
    ]);
    t.deepEqual([...new Set(statuses(calls))], [200], JSON.stringify(calls.find(c => c.status !== 200)?.body));
    const em = hard.orm.em.fork();
    t.is(await em.count(model('ReadReceipt'), { message: message.id } as never), 1);
    const delivered = await em.getConnection().execute<{ n: string }[]>('select count(*) as n from chat_message_delivered_to where message_id = ?', [message.id]);
    t.is(Number(delivered[0]!.n), 1);
  }
});

/** The room's log: each event's number and type, and the message it refers to (a message's own event). */
async function roomLog(api: Api, roomId: string): Promise<{ seq: number; type: string; message: string | undefined }[]> {
  const rows = (await api.orm.em.fork().getConnection().execute(`select seq, event_type, payload from chat_room_event where room_id = ? order by seq`, [roomId])) as {
    seq: string;
    event_type: string;
    payload: { data?: { $message?: string } } | string;
  }[];
  return rows.map(row => {
    const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as { data?: { $message?: string } }) : row.payload;
    return { seq: Number(row.seq), type: row.event_type, message: payload.data?.$message };
  });
}

test('a member removed while sending: every message of theirs comes before the removal, none after', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [owner, member, other] = await hard.users('owner', 'member', 'other');
    const room = await group(hard, owner!, [member!, other!]);
    const parent = await send(hard, owner!, room, 'a message to reply to');
    // Plain sends (one statement each) and replies (the transactional path) race the removal.
    const sends = Array.from({ length: 12 }, (_, i) =>
      hard.call(member!, 'POST', `/rooms/${room}/messages`, i % 3 === 2 ? { content: `reply ${i}`, parent_message_id: parent.id } : { content: `message ${i}` }),
    );
    const removal = hard.call(owner!, 'DELETE', `/rooms/${room}/members/${member!.id}`);
    const responses = await Promise.all([...sends, removal]);
    t.is(responses.at(-1)!.status, 200);
    const log = await roomLog(hard, room);
    const removedAt = log.find(event => event.type === 'roomremovemembers.dispatch')!.seq;
    const stored = (await hard.orm.em.fork().getConnection().execute(`select id from chat_message where room_id = ? and sender_id = ?`, [room, member!.id])) as { id: string }[];
    const accepted = responses.slice(0, -1).filter(r => r.status === 201).map(r => r.body.id as string);
    t.deepEqual(stored.map(row => row.id).sort(), [...accepted].sort(), 'what was answered 201 is what was stored');
    for (const response of responses.slice(0, -1)) t.true([201, 403, 404].includes(response.status), `a send is stored or refused: ${response.status}`);
    for (const id of accepted) {
      const at = log.find(event => event.type === 'message.dispatch' && event.message === id)!.seq;
      t.true(at < removedAt, `round ${round}: message ${id} is event ${at}, after the removal (${removedAt})`);
    }
  }
});

test('a member removed while others send: no message numbered after the removal is notified to them, neither stored nor pushed', async t => {
  let raced = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const [owner, member, other] = await hard.users('owner', 'member', 'other');
    const room = await group(hard, owner!, [member!, other!]);
    const pushed = hard.notifier.sent.length;
    const sends = Array.from({ length: 12 }, (_, i) => hard.call(i % 2 ? owner! : other!, 'POST', `/rooms/${room}/messages`, { content: `message ${i}` }));
    const removal = hard.call(owner!, 'DELETE', `/rooms/${room}/members/${member!.id}`);
    const responses = await Promise.all([...sends, removal]);
    t.is(responses.at(-1)!.status, 200);
    const log = await roomLog(hard, room);
    const removedAt = log.find(event => event.type === 'roomremovemembers.dispatch')!.seq;
    const after = new Set(log.filter(event => event.type === 'message.dispatch' && event.seq > removedAt).map(event => event.message as string));
    raced += after.size;
    const stored = (await hard.orm.em.fork().getConnection().execute(
      `select n.message_id from chat_notification n join chat_notification_recipients r on r.notification_id = n.id where r.user_id = ? and n.message_id in (select id from chat_message where room_id = ?)`,
      [member!.id, room],
    )) as { message_id: string }[];
    t.deepEqual(stored.filter(row => after.has(row.message_id)), [], `round ${round}: recipient rows of the removed member`);
    const pushes = hard.notifier.sent.slice(pushed).filter(push => after.has(push.messageId) && push.recipientIds.includes(member!.id));
    t.deepEqual(pushes.map(push => push.messageId), [], `round ${round}: pushed to the removed member`);
  }
  t.true(raced > 0, 'some messages were numbered after the removal');
});

test('a member removed while editing and reacting: none of their changes is numbered after the removal', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const [owner, member] = await hard.users('owner', 'member');
    const room = await group(hard, owner!, [member!]);
    const own = await Promise.all(Array.from({ length: 4 }, (_, i) => send(hard, member!, room, `mine ${i}`)));
    const others = await Promise.all(Array.from({ length: 4 }, (_, i) => send(hard, owner!, room, `theirs ${i}`)));
    const before = (await roomLog(hard, room)).length;
    const changes = [
      ...own.map(m => hard.call(member!, 'PATCH', `/messages/${m.id}`, { content: 'edited' })),
      ...others.map(m => hard.call(member!, 'POST', `/messages/${m.id}/reactions`, { reaction_content: '👍' })),
    ];
    const removal = hard.call(owner!, 'DELETE', `/rooms/${room}/members/${member!.id}`);
    const responses = await Promise.all([...changes, removal]);
    t.is(responses.at(-1)!.status, 200);
    for (const response of responses.slice(0, -1)) t.true([200, 201, 403, 404].includes(response.status), `a change lands or is refused: ${response.status}`);
    const log = (await roomLog(hard, room)).slice(before);
    const removedAt = log.findIndex(event => event.type === 'roomremovemembers.dispatch');
    t.true(removedAt >= 0);
    const after = log.slice(removedAt + 1).map(event => event.type);
    t.deepEqual(after, [], `round ${round}: numbered after the removal: ${after.join(', ')}`);
  }
});
