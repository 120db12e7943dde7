/**
 * Group commit: sends that race into one room share statements, yet each is checked, stored,
 * numbered, notified and answered as its own, in the room's order.
 */
import test from 'ava';
import { defineChatSettings } from '../src/index.js';
import { useApi, type Api } from './helpers/api.js';
import { sendAll } from './helpers/send-all.js';
import { group } from './helpers/rooms.js';
import { countStatements } from './helpers/statements.js';

const api = useApi(defineChatSettings(), [], { rateLimit: null });

const SENDS = 30;


async function rows<T>(chat: Api, text: string, params: unknown[]): Promise<T[]> {
  return (await chat.orm.em.fork().getConnection().execute(text, params)) as T[];
}

test('racing sends into one room share statements; each gets its own message, number and notification, in order', async t => {
  const [alice, bob, carol, dave] = await api.users('alice', 'bob', 'carol', 'dave');
  const members = [alice!, bob!, carol!];
  const room = await group(api, alice!, [bob!, carol!]);
  const alone = await countStatements(api.orm, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'alone' }));
  let outcomes: Awaited<ReturnType<typeof sendAll>> = [];
  const statements = await countStatements(api.orm, async () => {
    outcomes = await sendAll(api, [
      ...Array.from({ length: SENDS }, (_, i) => ({ user: members[i % 3]!, room, body: { content: `m${i}` } })),
      ...Array.from({ length: 3 }, (_, i) => ({ user: dave!, room, body: { content: `intruder ${i}` } })),
    ]);
  });
  const sent = outcomes.slice(0, SENDS).map(o => (o.ok ? { status: 201, body: o.message } : { status: 0, body: o.code }));
  t.deepEqual(sent.map(r => r.status), Array(SENDS).fill(201));
  t.true(outcomes.slice(SENDS).every(o => !o.ok), 'a non-member is refused, alone');
  t.true(statements < alone * (SENDS + 3), `${statements} statements for ${SENDS + 3} sends, ${alone} for one alone`);
  t.deepEqual(sent.map(r => r.body.content), Array.from({ length: SENDS }, (_, i) => `m${i}`), 'each caller gets its own message back');

  const stored = await rows<{ id: string; content: string; sender_id: string }>(api, "select id, content, sender_id from chat_message where room_id = ? and content <> 'alone'", [room]);
  t.is(stored.length, SENDS, 'each message stored once, none of the intruder');
  // The first numbered send is the one sent alone before the race.
  const events = (await rows<{ seq: number; payload: any }>(api, `select seq, payload from chat_room_event where room_id = ? and event_type = 'message.dispatch' order by seq`, [room])).slice(1);
  t.is(events.length, SENDS);
  const seqs = events.map(e => Number(e.seq));
  t.deepEqual(seqs, Array.from({ length: SENDS }, (_, i) => seqs[0]! + i), 'numbers are contiguous');
  const logged = events.map(e => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload).data.$message);
  t.deepEqual(new Set(logged), new Set(stored.map(m => m.id)), 'each message is logged once');
  const [roomRow] = await rows<{ last_message_id: string; event_seq: number }>(api, 'select last_message_id, event_seq from chat_room where id = ?', [room]);
  t.is(roomRow!.last_message_id, logged[logged.length - 1], 'the room points at the last message in its order');
  t.is(Number(roomRow!.event_seq), seqs[seqs.length - 1]);

  const recipients = await rows<{ message_id: string; user_id: string }>(
    api,
    'select n.message_id, r.user_id from chat_notification n join chat_notification_recipients r on r.notification_id = n.id where n.message_id in (select id from chat_message where room_id = ?)',
    [room],
  );
  for (const message of stored) {
    const expected = members.map(m => m.id).filter(id => id !== message.sender_id).sort();
    t.deepEqual(recipients.filter(r => r.message_id === message.id).map(r => r.user_id).sort(), expected, 'the others are notified, not the sender');
  }
  const pushed = api.notifier.sent.filter(n => n.roomId === room && (n.message as { content?: string }).content !== 'alone');
  t.is(pushed.length, SENDS, 'each send is pushed once');
  for (const push of pushed) t.is(push.recipientIds.length, 2);
});

test('racing sends with one client id store one message and answer each with it, beside other sends', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const clientId = crypto.randomUUID();
  const outcomes = await sendAll(api, [
    ...Array.from({ length: 6 }, (_, i) => ({ user: alice!, room, body: { content: `plain ${i}` } })),
    ...Array.from({ length: 6 }, () => ({ user: alice!, room, body: { content: 'once', client_id: clientId } })),
  ]);
  t.true(outcomes.every(o => o.ok), JSON.stringify(outcomes.find(o => !o.ok)));
  t.deepEqual(new Set(outcomes.slice(6).map(o => (o.ok ? o.message.id : undefined))), new Set([clientId]));
  const [count] = await rows<{ n: string }>(api, 'select count(*) as n from chat_message where room_id = ?', [room]);
  t.is(Number(count!.n), 7);
});
