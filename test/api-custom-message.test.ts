import test from 'ava';
import type { EntityName, EventArgs, EventSubscriber } from '@mikro-orm/core';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings } from '../fixtures/custom-message/settings.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';
import { firstDifference, historyBothWays } from './helpers/history-paths.js';
import { messagesSuite } from './suites/messages.js';
import { paginationSuite } from './suites/pagination.js';
import { permissionsSuite } from './suites/permissions.js';
import { xssSuite } from './suites/xss.js';

/** A user's own subscriber of the custom message: sees each one created, with its custom fields, however it is written. */
class CustomMessageRecorder implements EventSubscriber<CustomMessage> {
  readonly created: CustomMessage[] = [];

  getSubscribedEntities(): EntityName<CustomMessage>[] {
    return [CustomMessage];
  }

  async afterCreate(args: EventArgs<CustomMessage>): Promise<void> {
    this.created.push(args.entity);
  }
}
const recorder = new CustomMessageRecorder();

// The whole REST suite again, with the guide's custom message and serializer swapped in.
const api = useApi(settings, [CustomMessage], {}, { subscribers: [recorder] });
messagesSuite(api);
permissionsSuite(api);
xssSuite(api);
paginationSuite(api);

test("the custom serializer's fields are accepted and returned by the API", async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const sent = await send(api, alice!, room, { content: 'ship it', priority: 'urgent', expiry_date: '2027-01-01T00:00:00.000Z', is_pinned: true });
  t.like(sent, { priority: 'urgent', expiry_date: '2027-01-01T00:00:00.000Z', is_pinned: false });
  const stored = await api.orm.em.fork().findOneOrFail(CustomMessage, sent.id);
  t.is(stored.priority, 'urgent');
  const history = await api.call(bob!, 'GET', `/rooms/${room}/messages`);
  t.like(history.body.results[0], { id: sent.id, priority: 'urgent' });
  const rooms = await api.call(bob!, 'GET', '/rooms');
  t.like(rooms.body.find((r: any) => r.id === room).last_message, { id: sent.id, priority: 'urgent' });
  const invalid = await api.call(alice!, 'POST', `/rooms/${room}/messages`, { content: 'x', priority: 'critical' });
  t.is(invalid.status, 400);
  t.deepEqual(invalid.body.error.details, { priority: ['priority must be one of the following values: low, normal, high, urgent'] });
});

test("a user's subscriber of the custom message hears each send, with the custom fields", async t => {
  const [alice] = await api.users('alice');
  const room = await group(api, alice!, []);
  const sent = await send(api, alice!, room, { content: 'heard', priority: 'high' });
  const heard = recorder.created.find(message => message.id === sent.id);
  t.true(heard instanceof CustomMessage);
  t.is(heard?.priority, 'high');
});

test('history in one statement shows the custom message exactly as its serializer does from entities', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const first = await send(api, alice!, room, { content: 'urgent one', priority: 'urgent', expiry_date: '2027-01-01T00:00:00.000Z' });
  await send(api, bob!, room, { content: 'a reply', parent_message_id: first.id });
  await send(api, bob!, room, { media: [{ media_url: 'https://cdn.example/a.png', media_type: 'image' }, { media_url: 'https://cdn.example/b.png', media_type: 'image' }] });
  await api.call(bob!, 'POST', `/messages/${first.id}/reactions`, { reaction_content: '👍' });
  await api.call(bob!, 'POST', '/messages/read', { message_ids: [first.id] });
  await api.call(bob!, 'POST', '/messages/delivered', { message_ids: [first.id] });
  const { inSql, fromEntities } = await historyBothWays(api, room, bob!.id);
  t.truthy(inSql, 'the custom serializer, fields of its own included, compiles to SQL');
  t.is(firstDifference(inSql, fromEntities), undefined);
  t.is(inSql!.length, 3);
});
