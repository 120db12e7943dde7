/** Message history: cursor pages that lose and repeat nothing while messages arrive, capped limits, numbered pages. */
import test from 'ava';
import { MAX_PAGE_SIZE, createChatEngine } from '../../src/index.js';
import type { Api } from '../helpers/api.js';
import { group, send } from '../helpers/rooms.js';

export function paginationSuite(api: Api): void {
  test('paging back through history while others keep sending loses and repeats nothing', async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const existing: string[] = [];
    for (let i = 0; i < 40; i++) existing.push((await send(api, i % 2 ? bob! : alice!, room, `before ${i}`)).id);
    const seen: { id: string; created_at: string }[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    let sentDuring = 0;
    do {
      // Others send while this page is read.
      const during = [send(api, bob!, room, `during ${pages}a`), send(api, alice!, room, `during ${pages}b`)];
      const query = `?limit=6${cursor ? `&before=${cursor}` : ''}`;
      const [page] = await Promise.all([api.call(alice!, 'GET', `/rooms/${room}/messages${query}`), ...during]);
      sentDuring += during.length;
      t.is(page.status, 200, JSON.stringify(page.body));
      seen.push(...page.body.results.map((m: any) => ({ id: m.id, created_at: m.created_at })));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    const ids = seen.map(m => m.id);
    t.is(new Set(ids).size, ids.length, 'no message is repeated');
    for (const id of existing) t.true(ids.includes(id), `message ${id} sent before paging is not lost`);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      t.true(a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id), 'newest first, strictly');
    }
    t.true(sentDuring > 0);
  });

  test('a limit above the maximum is capped, and a cursor this server did not issue is refused', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    for (let i = 0; i < 3; i++) await send(api, alice!, room, `m${i}`);
    const capped = await api.call(alice!, 'GET', `/rooms/${room}/messages?limit=${MAX_PAGE_SIZE * 10}`);
    t.is(capped.status, 200);
    t.is(capped.body.results.length, 3);
    t.is(capped.body.next_cursor, null);
    const one = await api.call(alice!, 'GET', `/rooms/${room}/messages?limit=1`);
    t.is(one.body.results.length, 1);
    t.truthy(one.body.next_cursor);
    const bad = await api.call(alice!, 'GET', `/rooms/${room}/messages?before=not-a-cursor`);
    t.is(bad.status, 400);
    t.deepEqual(Object.keys(bad.body.error.details), ['before']);
    const zero = await api.call(alice!, 'GET', `/rooms/${room}/messages?limit=0`);
    t.is(zero.status, 400);
  });

  test('numbered pages (room.messages) give the last page past the end, and need both page and size', async t => {
    const engine = createChatEngine({ orm: api.orm, settings: api.settings });
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await send(api, alice!, room, `n${i}`)).id);
    const first = await engine.roomMessages(alice!, { room_id: room, paginate: { page: 1, size: 2 } });
    t.like(first.result, { page: 1, size: 2, has_next: true, has_previous: false, next_page_number: 2, prev_page_number: null });
    t.deepEqual((first.result.data as any).messages.map((m: any) => m.id), [sent[4], sent[3]]);
    const past = await engine.roomMessages(alice!, { room_id: room, paginate: { page: 99, size: 2 } });
    t.like(past.result, { page: 3, has_next: false, has_previous: true, prev_page_number: 2 });
    t.deepEqual((past.result.data as any).messages.map((m: any) => m.id), [sent[0]]);
    t.deepEqual(past.events.map(e => [e.eventType, e.audience]), [['roommessages.dispatch', { users: [alice!.id], askerOnly: true }]]);
    const all = await engine.roomMessages(alice!, { room_id: room });
    t.is((all.result.data as any).messages.length, 5);
    await t.throwsAsync(engine.roomMessages(alice!, { room_id: room, paginate: { page: 1 } }), { message: 'page and size required' });
    await t.throwsAsync(engine.roomMessages(alice!, { room_id: room, paginate: { page: 'x', size: 2 } }), { message: /page/ });
  });
}
