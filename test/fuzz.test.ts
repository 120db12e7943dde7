/**
 * Fuzzing a live server: thousands of random and mutated WebSocket frames and REST requests, built
 * from valid ones of every kind, for a bounded time. Whatever arrives, the process lives, every
 * reply is well formed, and nothing is an internal error (no 4006, no 500). A failure names the
 * seed: `FUZZ_SEED=<seed> npx ava dist/test/fuzz.test.js` replays it.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { DEFAULT_EVENT_MAP, defineChatSettings } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { channel, group, send } from './helpers/rooms.js';
import { Random, mutate, randomValue, wellFormedFrame } from './helpers/fuzz.js';
import type { ChatServer } from './helpers/chat-server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** How long each fuzz run may take, and how many inputs it sends at most. */
const BUDGET_MS = 15_000;
const MAX_INPUTS = 1500;

/** Percent-encodes text; a lone surrogate (which `encodeURIComponent` refuses) goes as the bytes a careless client would send. */
function encode(text: string): string {
  try {
    // Past Node's header limit (16 kB) the HTTP parser answers 431 before any of our code runs.
    return encodeURIComponent(text.slice(0, 200));
  } catch {
    return '%ED%A0%80';
  }
}

const servers: [string, ChatServer][] = [
  ['hard delete', useChatServer(defineChatSettings(), { rateLimit: { burst: 100_000, perSecond: 100_000 }, maxQueuedFrames: 100_000 }, [], { rateLimit: null })],
  ['soft delete', useChatServer(defineChatSettings({ messageSoftDelete: true }), { rateLimit: { burst: 100_000, perSecond: 100_000 }, maxQueuedFrames: 100_000 }, [], { rateLimit: null })],
];

/** A small world to aim at: users, rooms of each type, messages; their ids are what the fuzzer picks from. */
async function world(chat: ChatServer) {
  const [alice, bob, carol] = await chat.users('alice', 'bob', 'carol');
  const team = await group(chat, alice!, [bob!]);
  const news = await channel(chat, alice!, [bob!], { is_public: true });
  const direct = (await chat.call(alice!, 'POST', '/rooms', { type: 'OneToOneChat', participants: [bob!.id] })).body.id as string;
  const messages = [];
  for (const room of [team, news, direct]) messages.push((await send(chat, alice!, room, `hello ${room}`)).id as string);
  const ids = [alice!.id, bob!.id, carol!.id, team, news, direct, ...messages, randomUUID()];
  return { alice: alice!, bob: bob!, carol: carol!, team, news, direct, messages, ids };
}

/** Valid requests of every event type, to mutate. */
function validFrames(w: Awaited<ReturnType<typeof world>>): Record<string, unknown>[] {
  const media = [{ media_url: 'https://cdn.example/a.png', media_type: 'image', file_size: 10, mime_type: 'image/png', caption: 'c', metadata: { k: 'v' } }];
  const data: Record<string, unknown>[] = [
    { room_id: w.team, content: 'hi', extra_fields: { parent_message_id: w.messages[0], media } },
    { message_id: w.messages[0] },
    { message_id: [w.messages[0], w.messages[1]] },
    { type: 'add', message_id: w.messages[0], reaction_content: '👍' },
    { room_id: w.team },
    { action: 'update', message_id: w.messages[0], extra_fields: { content: 'edited' } },
    { action: 'delete', message_id: [w.messages[2]] },
    { type: 'GroupChat', name: 'g', participants: [w.bob.id], extra_fields: { property: { preferences: { a: 1 } } } },
    { type: 'Channel', name: 'c', subscribers: [w.bob.id], is_public: true },
    { room_id: w.team, paginate: { page: 1, size: 5 } },
    { room_id: w.team, members: [w.carol.id] },
    { room_id: w.team, action: 'update', data: { name: 'renamed', property: { preferences: { b: 2 } } } },
    { room_id: w.team, action: 'add_admin', data: { users: [w.bob.id] } },
    { rooms: { [w.team]: 1 } },
    { room_id: w.team, limit: 5, before: 'abc' },
    { limit: 3 },
  ];
  return Object.keys(DEFAULT_EVENT_MAP).flatMap(eventType => data.map(d => ({ event_type: eventType, data: d, id: 'x' })));
}

for (const [mode, chat] of servers) {
  test(`${mode}: random and mutated frames never crash the server, and every reply is well formed`, async t => {
    const random = new Random(SEED);
    const w = await world(chat);
    const valid = validFrames(w);
    const sockets = await Promise.all([w.alice, w.bob, w.carol].map(user => chat.connect(user)));
    const deadline = Date.now() + BUDGET_MS;
    let sent = 0;
    for (; sent < MAX_INPUTS && Date.now() < deadline; sent++) {
      const socket = random.pick(sockets.filter(s => s.open));
      if (!socket) break;
      // Some valid requests too, so the hostile ones land between real writes.
      const frame = random.chance(0.1) ? randomValue(random, w.ids) : random.chance(0.3) ? random.pick(valid) : mutate(random, random.pick(valid), w.ids);
      socket.ws.send(random.chance(0.05) ? JSON.stringify(frame).slice(0, random.int(200)) : JSON.stringify(frame));
      // Now and then, let the server catch up, so requests interleave with their replies.
      if (sent % 50 === 49) await socket.request('session.heartbeat', {}, `sync${sent}`, 20_000);
    }
    await Promise.all(sockets.filter(s => s.open).map((s, i) => s.request('session.heartbeat', {}, `end${i}`, 30_000)));
    const problems = sockets.flatMap(s => s.frames.map(wellFormedFrame).filter(Boolean));
    t.deepEqual(problems.slice(0, 5), [], `seed ${SEED}: ${problems.length} malformed or internal-error replies`);
    t.true(sockets.every(s => s.open), `seed ${SEED}: a socket was closed`);
    t.true(sent > 200, `sent ${sent} frames`);
    const kinds = new Map<string, number>();
    for (const frame of sockets.flatMap(s => s.frames)) {
      const kind = frame.error ? String(frame.error.code) : (frame.eventType ?? frame.type ?? 'status');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    t.log(`replies: ${JSON.stringify(Object.fromEntries([...kinds].sort()))}`);
    // The server still serves a newcomer.
    const [dave] = await chat.users('dave');
    const room = await group(chat, dave!, []);
    const fresh = await chat.connect(dave!);
    t.is((await fresh.request('message.send', { room_id: room, content: 'alive' })).data.content, 'alive');
    await Promise.all([...sockets, fresh].map(s => s.close()));
  });

  test(`${mode}: random and mutated REST requests are never a 500`, async t => {
    const random = new Random(SEED + 1);
    const w = await world(chat);
    const valid = validFrames(w).map(frame => frame.data as Record<string, unknown>);
    const paths = (id: () => string) => [
      ['GET', '/rooms'],
      ['POST', '/rooms'],
      ['GET', `/rooms/${id()}`],
      ['PATCH', `/rooms/${id()}`],
      ['DELETE', `/rooms/${id()}`],
      ['POST', `/rooms/${id()}/modify`],
      ['POST', `/rooms/${id()}/members`],
      ['DELETE', `/rooms/${id()}/members/${id()}`],
      ['POST', `/rooms/${id()}/join`],
      ['POST', `/rooms/${id()}/leave`],
      ['POST', `/rooms/${id()}/typing`],
      ['POST', `/rooms/${id()}/read`],
      ['GET', `/rooms/${id()}/messages?limit=${encode(String(randomValue(random, w.ids)))}&before=${encode(String(randomValue(random, w.ids)))}`],
      ['GET', `/rooms?limit=${encode(String(randomValue(random, w.ids)))}&before=${encode(String(randomValue(random, w.ids)))}`],
      ['POST', `/rooms/${id()}/messages`],
      ['PATCH', `/messages/${id()}`],
      ['DELETE', `/messages/${id()}`],
      ['POST', '/messages/delete'],
      ['POST', '/messages/read'],
      ['POST', '/messages/delivered'],
      ['POST', `/messages/${id()}/forward`],
      ['POST', `/messages/${id()}/reactions`],
      ['DELETE', `/messages/${id()}/reactions`],
      ['GET', '/notifications'],
    ];
    const statuses = new Map<number, number>();
    const deadline = Date.now() + BUDGET_MS;
    let sent = 0;
    for (; sent < MAX_INPUTS / 3 && Date.now() < deadline; sent++) {
      const id = () => (random.chance(0.9) ? random.pick(w.ids) : encode(String(randomValue(random, w.ids)).slice(0, 100)));
      const [method, path] = random.pick(paths(id)) as [string, string];
      const body = random.chance(0.1) ? randomValue(random, w.ids) : mutate(random, random.pick(valid), w.ids);
      const raw = random.chance(0.05) ? JSON.stringify(body).slice(0, random.int(100)) : undefined;
      const response = await chat.call(random.pick([w.alice, w.bob, w.carol]), method, path, method === 'GET' ? undefined : body, raw === undefined || method === 'GET' ? {} : { raw });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) t.fail(`seed ${SEED + 1}: ${method} ${path.slice(0, 120)} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
      if (response.status >= 400) t.is(typeof response.body?.error?.code, 'string', `${method} ${path.slice(0, 120)}: an error body with a code`);
    }
    t.true(sent > 100, `sent ${sent} requests`);
    t.log(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
}
