/**
 * Under load, with sockets dropping: 50 clients send 10,000 messages into 20 rooms over WebSocket
 * while sockets are cut at random and come back with `session.resume` (retrying what was in
 * flight with its `client_id`). Every member must receive every message of its rooms exactly
 * once, in the room's order, and every message must be stored once.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { defineChatSettings, type AbstractUser } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { Random } from './helpers/fuzz.js';
import { TestSocket } from './helpers/ws-client.js';
import type { ChatServer } from './helpers/chat-server.js';

const CLIENTS = 50;
const ROOMS = 20;
const MESSAGES = 10_000;

const chat = useChatServer(defineChatSettings(), { rateLimit: { burst: 100_000, perSecond: 100_000 }, maxQueuedFrames: 100_000, resumeHoldMs: 30_000 }, [], { rateLimit: null });

/** One client: its socket (replaced on every reconnect), its rooms, and what it received. */
class LoadClient {
  socket!: TestSocket;
  /** The last number received in each room. */
  readonly seen = new Map<string, number>();
  /** The message ids received in each room, in the order they came. */
  readonly received = new Map<string, string[]>();
  readonly problems: string[] = [];
  reconnects = 0;

  constructor(
    readonly server: ChatServer,
    readonly user: AbstractUser,
    readonly rooms: string[],
  ) {}

  /** Opens a socket with a held start and resumes from what it has seen. */
  async connect(): Promise<void> {
    const socket = await TestSocket.open(`${this.server.wsUrl}?token=${encodeURIComponent(this.server.token(this.user))}&resume=1`);
    this.socket = socket;
    socket.ws.on('message', raw => this.take(JSON.parse(raw.toString())));
    const complete = await socket.request('session.resume', { rooms: Object.fromEntries(this.seen) }, `resume-${this.reconnects}`, 60_000);
    if (complete.eventType !== 'resume.complete') this.problems.push(`resume failed: ${JSON.stringify(complete).slice(0, 200)}`);
    else if (complete.data.refetch.length > 0) this.problems.push(`told to refetch ${complete.data.refetch.join(', ')}`);
  }

  private take(frame: any): void {
    if (typeof frame.seq !== 'number' || !frame.room_id) return;
    const last = this.seen.get(frame.room_id) ?? 0;
    if (frame.seq <= last) this.problems.push(`room ${frame.room_id}: seq ${frame.seq} again after ${last}`);
    else if (frame.seq !== last + 1) this.problems.push(`room ${frame.room_id}: seq ${frame.seq} after ${last}`);
    this.seen.set(frame.room_id, Math.max(last, frame.seq));
    if (frame.eventType === 'message.dispatch') this.received.set(frame.room_id, [...(this.received.get(frame.room_id) ?? []), frame.data.id]);
  }

  /** Sends one message, retrying it (same client_id) on a new socket if the socket drops before the answer. */
  async send(room: string, content: string, drop: boolean): Promise<void> {
    const clientId = randomUUID();
    for (;;) {
      const socket = this.socket;
      try {
        socket.send({ event_type: 'message.send', data: { room_id: room, content, client_id: clientId }, id: clientId });
        if (drop) {
          drop = false;
          socket.ws.terminate();
        }
        const reply = await socket.until(f => f.id === clientId, 60_000);
        if (reply.error) this.problems.push(`send refused: ${JSON.stringify(reply.error)}`);
        return;
      } catch {
        // The socket is gone: come back, resume, send again with the same client id.
        if (this.socket === socket) {
          this.reconnects++;
          await this.connect();
        }
      }
    }
  }
}

test('10,000 messages from 50 clients into 20 rooms, sockets dropping: every member gets every message once, in order', async t => {
  t.timeout(10 * 60_000);
  const random = new Random(20261130);
  const users = await chat.users(...Array.from({ length: CLIENTS }, (_, i) => `load${i}`));
  const membersOf = new Map<string, AbstractUser[]>();
  for (let r = 0; r < ROOMS; r++) {
    const members = users.filter(() => random.chance(0.3));
    const owner = users[r % CLIENTS]!;
    const created = await chat.call(owner, 'POST', '/rooms', { type: 'GroupChat', name: `load ${r}`, participants: members.filter(m => m.id !== owner.id).map(m => m.id), max_participants: 100 });
    membersOf.set(created.body.id as string, [owner, ...members.filter(m => m.id !== owner.id)]);
  }
  const latest = async () =>
    new Map(
      ((await chat.orm.em.fork().getConnection().execute('select id, event_seq from chat_room where id = any(?::uuid[])', [`{${[...membersOf.keys()].join(',')}}`])) as { id: string; event_seq: string }[]).map(
        r => [r.id, Number(r.event_seq)],
      ),
    );
  const start = await latest();
  const clients = users.map(user => {
    const rooms = [...membersOf].filter(([, members]) => members.includes(user)).map(([room]) => room);
    const client = new LoadClient(chat, user, rooms);
    for (const room of rooms) client.seen.set(room, start.get(room)!);
    return client;
  });
  const senders = clients.filter(c => c.rooms.length > 0);
  await Promise.all(senders.map(c => c.connect()));
  const perClient = Math.ceil(MESSAGES / senders.length);
  await Promise.all(
    senders.map(async (client, k) => {
      for (let i = 0; i < perClient && k * perClient + i < MESSAGES; i++) {
        await client.send(random.pick(client.rooms), `m ${k}-${i}`, random.chance(0.003));
      }
    }),
  );
  // Every member catches up to the end of each of its rooms.
  const end = await latest();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && senders.some(c => c.rooms.some(room => (c.seen.get(room) ?? 0) < end.get(room)!))) await new Promise(resolve => setTimeout(resolve, 200));
  const stored = (await chat.orm.em.fork().getConnection().execute(
    `select e.room_id, e.payload -> 'data' ->> '$message' as id from chat_room_event e where e.room_id = any(?::uuid[]) and e.event_type = 'message.dispatch' order by e.room_id, e.seq`,
    [`{${[...membersOf.keys()].join(',')}}`],
  )) as { room_id: string; id: string }[];
  t.is(stored.length, MESSAGES, 'every message stored once');
  t.is(new Set(stored.map(s => s.id)).size, MESSAGES);
  const byRoom = new Map<string, string[]>();
  for (const row of stored) byRoom.set(row.room_id, [...(byRoom.get(row.room_id) ?? []), row.id]);
  t.deepEqual(senders.flatMap(c => c.problems).slice(0, 5), []);
  let checked = 0;
  for (const client of senders) {
    for (const room of client.rooms) {
      t.deepEqual(client.received.get(room) ?? [], byRoom.get(room) ?? [], `${client.user.username} in room ${room}`);
      checked++;
    }
  }
  t.log(`${checked} member-room streams checked; ${senders.reduce((n, c) => n + c.reconnects, 0)} reconnects`);
  t.true(senders.reduce((n, c) => n + c.reconnects, 0) >= 10, 'sockets did drop');
  await Promise.all(senders.map(c => c.socket.close()));
});
