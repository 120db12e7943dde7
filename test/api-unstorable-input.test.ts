/**
 * Input PostgreSQL cannot store, or that would make the server work without bound, is a 400 that
 * names the field, and nothing is written: NUL characters, unpaired surrogates, numbers past the
 * column, dates past what a timestamp holds, JSON nested thousands of levels deep. The tests run
 * one at a time: each checks that no table changed.
 */
import test from 'ava';
import { defineChatSettings, model } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';

const api = useApi(defineChatSettings());

/** `{ a: { a: … } }`, `depth` levels. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** What a test may have written, counted. */
async function rowCounts(): Promise<Record<string, number>> {
  const em = api.orm.em.fork();
  const out: Record<string, number> = {};
  for (const token of ['Message', 'Reaction', 'MessageMediaAsset', 'GroupChat', 'Channel'] as const) out[token] = await em.count(model(token), {});
  return out;
}

/** A bad request is a 400 naming `field`, and leaves every table as it was. */
async function refused(t: any, call: () => Promise<{ status: number; body: any }>, field: string): Promise<void> {
  const before = await rowCounts();
  const response = await call();
  t.is(response.status, 400, JSON.stringify(response.body));
  t.is(response.body.error.code, 'validation_failed');
  t.true(Object.keys(response.body.error.details ?? {}).includes(field), `names ${field}: ${JSON.stringify(response.body.error.details)}`);
  t.deepEqual(await rowCounts(), before, 'nothing was written');
}

const UNSTORABLE: [string, string][] = [
  ['a NUL character', 'before\u0000after'],
  ['a lone high surrogate', 'before\ud800after'],
  ['a lone low surrogate', '\udc00'],
];

for (const [what, text] of UNSTORABLE) {
  test.serial(`${what} is refused in content, names, reactions, captions, metadata and preferences`, async t => {
    const [alice, bob] = await api.users('alice', 'bob');
    const room = await group(api, alice!, [bob!]);
    const message = await send(api, alice!, room, 'hello');
    await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: text }), 'content');
    await refused(t, () => api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: text }), 'name');
    await refused(t, () => api.call(alice!, 'POST', '/rooms', { type: 'Channel', name: 'ok', description: text }), 'description');
    await refused(t, () => api.call(bob!, 'POST', `/messages/${message.id}/reactions`, { reaction_content: text }), 'reaction_content');
    const image = { media_url: 'https://cdn.example/a.png', media_type: 'image' };
    await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ ...image, caption: text }] }), 'media[0].caption');
    await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ ...image, metadata: { note: text } }] }), 'media[0].metadata.note');
    await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ ...image, metadata: { [text]: 1 } }] }), 'media[0].metadata');
    await refused(t, () => api.call(alice!, 'PATCH', `/rooms/${room}`, { property: { preferences: { theme: text } } }), 'property.preferences.theme');
    await refused(t, () => api.call(alice!, 'PATCH', `/messages/${message.id}`, { content: text }), 'content');
    const property = await api.call(alice!, 'GET', `/rooms/${room}`);
    t.deepEqual(property.body.property.preferences, {}, 'preferences untouched');
    t.is((await api.call(alice!, 'GET', `/rooms/${room}/messages`)).body.results[0].content, 'hello', 'content untouched');
  });
}

test.serial('integers past their column are field errors, not database errors', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  await refused(t, () => api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'big', max_participants: 2147483648 }), 'max_participants');
  await refused(t, () => api.call(alice!, 'POST', '/rooms', { type: 'Channel', name: 'big', max_subscribers: 1e300 }), 'max_subscribers');
  await refused(t, () => api.call(alice!, 'PATCH', `/rooms/${room}`, { max_participants: 2 ** 40 }), 'max_participants');
  const media = { media_url: 'https://cdn.example/a.png', media_type: 'image', file_size: 1e19 };
  await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [media] }), 'file_size');
  await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ ...media, file_size: 2 ** 53 }] }), 'file_size');
});

test.serial('a NUL character in a query parameter is refused', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  await refused(t, () => api.call(alice!, 'GET', `/rooms/${room}/messages?before=abc%00def`), 'before');
});

test.serial('a cursor that decodes to a date PostgreSQL cannot hold is a field error', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const id = '00000000-0000-4000-8000-000000000000';
  for (const time of ['+275760-09-13T00:00:00.000Z', '-005000-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', 'not a date']) {
    const cursor = Buffer.from(`${time}|${id}`).toString('base64url');
    await refused(t, () => api.call(alice!, 'GET', `/rooms/${room}/messages?before=${cursor}`), 'before');
  }
});

test.serial('JSON nested thousands of levels deep is a 400 naming where it went too deep', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const deep = nested(5000);
  await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x', metadata: deep }), `metadata${'.a'.repeat(31)}`);
  await refused(t, () => api.call(alice!, 'PATCH', `/rooms/${room}`, { property: { preferences: deep } }), `property.preferences${'.a'.repeat(30)}`);
  const arrays = `{"content":"x","extra_fields":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
  await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, undefined, { raw: arrays }), `extra_fields${'[0]'.repeat(31)}`);
  const media = [{ media_url: 'https://cdn.example/a.png', media_type: 'image', metadata: deep }];
  await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media }), `media[0].metadata${'.a'.repeat(29)}`);
  t.is((await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x', media: [{ ...media[0], metadata: nested(20) }] })).status, 201, 'nesting within the limit is fine');
});

test.serial('media URLs are absolute http(s) URLs only', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', '../../secret', '/relative/path.png', 'data:image/png;base64,AAAA', 'ftp://files.example/a.png']) {
    await refused(t, () => api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ media_url: url, media_type: 'image' }] }), 'media_url');
  }
  t.is((await api.call(alice!, 'POST', `/rooms/${room}/messages`, { media: [{ media_url: 'http://cdn.internal/a.png', media_type: 'image' }] })).status, 201);
});
