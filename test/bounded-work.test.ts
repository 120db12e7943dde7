/**
 * No request makes the server do unbounded work: media per message are capped, room lists and
 * message histories come a page at a time (in a form the original's clients still read), REST
 * calls are rate limited per user and sockets are capped per user.
 */
import test from 'ava';
import { ChatConsumer, MAX_PAGE_SIZE, defineChatSettings, model, type ConsumerContext } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { RecordingLogger } from './helpers/recording-logger.js';
import { group, send } from './helpers/rooms.js';

const chat = useChatServer(defineChatSettings({ maxMediaPerMessage: 4 }), { maxSocketsPerUser: 2 }, [], { rateLimit: null });
const limited = useChatServer(defineChatSettings(), {}, [], { rateLimit: { burst: 5, perSecond: 0.2 } });

/** A consumer that cannot be made for the first socket of the test below. */
let refuseNextConsumer = true;
class FailingOnceConsumer extends ChatConsumer {
  constructor(context: ConsumerContext) {
    if (refuseNextConsumer) {
      refuseNextConsumer = false;
      throw new Error('no consumer this time');
    }
    super(context);
  }
}
const failingLogger = new RecordingLogger();
const failing = useChatServer(defineChatSettings({ chatConsumerClass: FailingOnceConsumer }), { maxSocketsPerUser: 1, logger: failingLogger });

const image = (i: number) => ({ media_url: `https://cdn.example/${i}.png`, media_type: 'image' });

test('a message carries at most maxMediaPerMessage media files', async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const refused = await chat.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [0, 1, 2, 3, 4].map(image) });
  t.is(refused.status, 400);
  t.deepEqual(refused.body.error.details, { media: ['At most 4 media files per message.'] });
  t.is(await chat.orm.em.fork().count(model('Message'), { room } as never), 0);
  const sent = await chat.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [0, 1, 2, 3].map(image) });
  t.is(sent.status, 201);
  t.deepEqual(sent.body.attachments.map((a: any) => a.media_url).sort(), [0, 1, 2, 3].map(i => image(i).media_url));
  const socket = await chat.connect(alice!);
  const overWs = await socket.request('message.send', { room_id: room, extra_fields: { media: [0, 1, 2, 3, 4, 5, 6].map(image) } });
  t.is(overWs.error.code, 4003);
  await socket.close();
});

test('rooms are listed a page at a time, most recent first, each exactly once', async t => {
  const [alice] = await chat.users('alice');
  const rooms: string[] = [];
  for (let i = 0; i < 7; i++) rooms.push(await group(chat, alice!, [], { name: `room ${i}` }));
  await send(chat, alice!, rooms[2]!, 'room 2 is the most recent now');
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const response = await fetch(`${chat.url}/rooms?limit=3${cursor ? `&before=${cursor}` : ''}`, { headers: { authorization: `Bearer ${chat.token(alice!)}` } });
    const body = (await response.json()) as any[];
    t.true(body.length <= 3);
    seen.push(...body.map(r => r.id));
    cursor = response.headers.get('x-next-cursor') ?? undefined;
    pages++;
  } while (cursor && pages < 10);
  t.is(pages, 3);
  t.deepEqual(seen, [rooms[2]!, ...rooms.filter((_, i) => i !== 2).reverse()]);
  const socket = await chat.connect(alice!);
  const listed = await socket.request('room.list', { limit: 2 });
  t.deepEqual(listed.data.map((r: any) => r.id), seen.slice(0, 2));
  const all = await socket.request('room.list', {});
  t.is(all.data.length, 7, 'the original\'s room.list {} still gets every room of a user with fewer than 100');
  t.is((await socket.request('room.list', { limit: 100_000 })).data.length, 7, 'a limit past the maximum is capped, not refused');
  t.is((await chat.call(alice!, 'GET', '/rooms?before=forged')).status, 400);
  await socket.close();
});

test(`room.messages without paging returns the newest ${MAX_PAGE_SIZE} messages and says there are more`, async t => {
  const [alice] = await chat.users('alice');
  const room = await group(chat, alice!, []);
  const em = chat.orm.em.fork();
  const base = Date.now() - 1_000_000;
  for (let i = 0; i < MAX_PAGE_SIZE + 5; i++) em.create(model('Message'), { room, sender: alice!.id, content: `m${i}`, createdAt: new Date(base + i * 1000) } as never);
  await em.flush();
  const socket = await chat.connect(alice!);
  const unpaged = await socket.request('room.messages', { room_id: room });
  t.is(unpaged.data.data.messages.length, MAX_PAGE_SIZE);
  t.is(unpaged.data.data.messages[0].content, `m${MAX_PAGE_SIZE + 4}`);
  t.like(unpaged.data, { has_next: true, next_page_number: 2, page: 1, size: MAX_PAGE_SIZE });
  const rest = await socket.request('room.messages', { room_id: room, paginate: { page: 2, size: MAX_PAGE_SIZE } });
  t.deepEqual(rest.data.data.messages.map((m: any) => m.content), ['m4', 'm3', 'm2', 'm1', 'm0']);
  await socket.close();
});

test('REST calls are rate limited per user: 429 with Retry-After, and other users are not affected', async t => {
  const [alice, bob] = await limited.users('alice', 'bob');
  // All at once; one token per 5 s, so a slow machine does not refill the bucket in between.
  const statuses = (await Promise.all(Array.from({ length: 7 }, () => limited.call(alice!, 'GET', '/rooms')))).map(r => r.status).sort();
  t.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  const response = await fetch(`${limited.url}/rooms`, { headers: { authorization: `Bearer ${limited.token(alice!)}` } });
  t.is(response.status, 429);
  const retryAfter = Number(response.headers.get('retry-after'));
  t.true(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
  t.is(((await response.json()) as any).error.code, 'rate_limited');
  t.is((await limited.call(bob!, 'GET', '/rooms')).status, 200);
  await new Promise(resolve => setTimeout(resolve, retryAfter * 1000 + 100));
  t.is((await limited.call(alice!, 'GET', '/rooms')).status, 200, 'the bucket refills');
});

test('a user holds at most maxSocketsPerUser sockets; closing one makes room for another', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const first = await chat.connect(alice!);
  const second = await chat.connect(alice!);
  const refused = await chat.connect(alice!).then(
    () => undefined,
    (error: { status?: number; body?: string }) => error,
  );
  t.is(refused?.status, 429);
  t.is(JSON.parse(refused!.body!).error.code, 'too_many_connections');
  t.true((await chat.connect(bob!)).open, 'another user is not affected');
  await first.close();
  await new Promise(resolve => setTimeout(resolve, 50));
  const third = await chat.connect(alice!);
  t.true(third.open);
  await Promise.all([second.close(), third.close()]);
});

test('a socket whose consumer could not be made gives its place back: the user connects again', async t => {
  const [alice] = await failing.users('alice');
  const first = await failing.connect(alice!, { first: false });
  t.not((await first.closed).code, 1000);
  t.deepEqual(
    failingLogger.entries.map(entry => entry.message),
    ['setting up a socket failed'],
  );
  await new Promise(resolve => setTimeout(resolve, 50));
  const again = await failing.connect(alice!);
  t.true(again.open, 'the one socket alice may hold is free again');
  await again.close();
});
