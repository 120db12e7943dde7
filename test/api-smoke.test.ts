import test from 'ava';
import { defineChatSettings } from '../src/index.js';
import { useApi } from './helpers/api.js';

const api = useApi(defineChatSettings());

test('a group is created, a message sent and read back over HTTP', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const created = await api.call(alice!, 'POST', '/rooms', { type: 'GroupChat', name: 'Team', participants: [bob!.id] });
  t.is(created.status, 201, JSON.stringify(created.body));
  const roomId = created.body.id;
  const sent = await api.call(bob!, 'POST', `/rooms/${roomId}/messages`, { content: 'hello <script>x</script>' });
  t.is(sent.status, 201, JSON.stringify(sent.body));
  t.is(sent.body.content, 'hello ');
  const history = await api.call(alice!, 'GET', `/rooms/${roomId}/messages`);
  t.is(history.status, 200);
  t.is(history.body.results.length, 1);
  const rooms = await api.call(alice!, 'GET', '/rooms');
  t.is(rooms.status, 200, JSON.stringify(rooms.body));
  t.like(rooms.body[0], { id: roomId, type: 'GroupChat', unread_count: 1 });
  t.is(rooms.body[0].last_message.id, sent.body.id);
});
