import test from 'ava';
import { defineChatSettings, model } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';

const api = useApi(defineChatSettings({ messageSoftDelete: true }));

test('with soft delete, a deleted message keeps its row without content, and no history shows it', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const kept = await send(api, alice!, room, 'kept');
  const gone = await send(api, alice!, room, 'secret');
  const deleted = await api.call(alice!, 'POST', '/messages/delete', { message_ids: [gone.id] });
  t.is(deleted.status, 200, JSON.stringify(deleted.body));
  const stored = (await api.orm.em.fork().findOneOrFail(model('Message'), { id: gone.id } as never)) as any;
  t.true(stored.isDeleted);
  t.is(stored.content, '');
  const history = (await api.call(bob!, 'GET', `/rooms/${room}/messages`)).body.results;
  t.deepEqual(history.map((m: any) => m.id), [kept.id]);
  t.is((await api.call(bob!, 'GET', '/rooms')).body.find((r: any) => r.id === room).last_message.id, kept.id);
  t.is((await api.call(bob!, 'POST', `/messages/${gone.id}/reactions`, { reaction_content: '👍' })).status, 404, 'a deleted message cannot be reacted to');
  t.is((await api.call(alice!, 'DELETE', `/messages/${gone.id}`)).status, 404, 'nor deleted twice');
});

test('deleting messages of two rooms at once is refused', async t => {
  const [alice] = await api.users('alice');
  const one = await group(api, alice!, []);
  const two = await group(api, alice!, []);
  const a = await send(api, alice!, one, 'a');
  const b = await send(api, alice!, two, 'b');
  const refused = await api.call(alice!, 'POST', '/messages/delete', { message_ids: [a.id, b.id] });
  t.is(refused.status, 400);
  t.is(refused.body.error.message, 'All messages marked for modification must come from the same room');
});
