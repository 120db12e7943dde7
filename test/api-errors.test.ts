import test from 'ava';
import { defineChatSettings, model } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';

const api = useApi(defineChatSettings({ maxMessageLength: 1000 }));

test('a request without valid credentials is a 401 with a JSON error', async t => {
  const none = await api.call(null, 'GET', '/rooms');
  t.is(none.status, 401);
  t.deepEqual(none.body, { error: { code: 'unauthenticated', message: 'Authentication credentials were not provided or are not valid' } });
  const forged = await api.call(null, 'GET', '/rooms', undefined, { headers: { authorization: 'Bearer 00000000-0000-4000-8000-000000000000.forged' } });
  t.is(forged.status, 401);
});

test('malformed JSON, the wrong content type and a non-object body are 400 / 415', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const broken = await api.call(alice!, 'POST', `/rooms/${room}/messages`, undefined, { raw: '{"content": "unterminated' });
  t.is(broken.status, 400);
  t.is(broken.body.error.code, 'invalid_json');
  const form = await api.call(alice!, 'POST', `/rooms/${room}/messages`, undefined, { raw: 'content=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.is(form.status, 415);
  const list = await api.call(alice!, 'POST', `/rooms/${room}/messages`, ['hi']);
  t.is(list.status, 400);
  t.deepEqual(list.body.error.details, { non_field_errors: ['Invalid data. Expected an object.'] });
});

test('wrong types and oversized content are field errors', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const number = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 42 });
  t.is(number.status, 400);
  t.deepEqual(number.body.error.details, { content: ['content must be a string'] });
  const long = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x'.repeat(1001) });
  t.is(long.status, 400);
  t.deepEqual(long.body.error.details, { content: ['Ensure this field has no more than 1000 characters.'] });
  const badParent = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x', parent_message_id: 'nope' });
  t.is(badParent.status, 400);
  t.deepEqual(badParent.body.error.details, { parent_message_id: ['"nope" is not a valid id.'] });
  const badRoom = await api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'x'.repeat(65), max_participants: 'many' });
  t.is(badRoom.status, 400);
  t.deepEqual(Object.keys(badRoom.body.error.details).sort(), ['max_participants', 'name']);
  const badType = await api.call(alice!, 'POST', '/rooms', { type: 'Forum' });
  t.is(badType.status, 400);
  t.deepEqual(Object.keys(badType.body.error.details), ['type']);
});

test('a body over the limit is a 413 and stores nothing', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const huge = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x'.repeat(2 * 1024 * 1024) });
  t.is(huge.status, 413);
  t.is(huge.body.error.code, 'payload_too_large');
  t.is(await api.orm.em.fork().count(model('Message'), { room } as never), 0);
});

test('unknown ids: a path that names nothing is a 404, a body that names nothing is a 400', async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const message = await send(api, alice!, room, 'hi');
  t.is((await api.call(alice!, 'GET', '/rooms/3b2ad7a4-0000-4000-8000-000000000000')).status, 404);
  t.is((await api.call(alice!, 'GET', '/rooms/not-an-id')).status, 404);
  t.is((await api.call(alice!, 'PATCH', '/messages/3b2ad7a4-0000-4000-8000-000000000000', { content: 'x' })).status, 404);
  const forward = await api.call(alice!, 'POST', `/messages/${message.id}/forward`, { room_id: '3b2ad7a4-0000-4000-8000-000000000000' });
  t.is(forward.status, 400);
  t.deepEqual(Object.keys(forward.body.error.details), ['room_id']);
  const members = await api.call(alice!, 'POST', `/rooms/${room}/members`, { members: ['3b2ad7a4-0000-4000-8000-000000000000'] });
  t.is(members.status, 400);
  t.deepEqual(members.body.error.details, { members: ['Unknown users: 3b2ad7a4-0000-4000-8000-000000000000'] });
});

test('a rejected room creation stores no room', async t => {
  const [alice] = await api.users('alice');
  const result = await api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'Ghost', participants: ['3b2ad7a4-0000-4000-8000-000000000001'] });
  t.is(result.status, 400);
  t.is(await api.orm.em.fork().count(model('GroupChat'), { name: 'Ghost' } as never), 0);
});

test('an unknown path is a JSON 404 and a wrong method a JSON 405', async t => {
  const [alice] = await api.users('alice');
  const unknown = await api.call(alice!, 'GET', '/nowhere');
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'not_found');
  const method = await api.call(alice!, 'PUT', '/rooms');
  t.is(method.status, 405);
  t.is(method.body.error.code, 'method_not_allowed');
});

test('too many participants is a 400 with the limit message, and nothing is stored', async t => {
  const [alice, ...others] = await api.users('alice', 'b', 'c', 'd');
  const result = await api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'Small', max_participants: 2, participants: others.map(o => o.id) });
  t.is(result.status, 400);
  t.is(result.body.error.message, 'Maximum number of group participants exceeded');
  t.is(await api.orm.em.fork().count(model('GroupChat'), { name: 'Small' } as never), 0);
});
