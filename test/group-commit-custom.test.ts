/** Group commit with the guide's custom message swapped in: each send keeps its own custom fields. */
import test from 'ava';
import { model } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { group } from './helpers/rooms.js';
import { sendAll } from './helpers/send-all.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings as customSettings } from '../fixtures/custom-message/settings.js';

const custom = useApi(customSettings, [CustomMessage], { rateLimit: null });

test('a swapped message keeps each send\'s own custom fields when sends go together', async t => {
  const [alice, bob] = await custom.users('alice', 'bob');
  const room = await group(custom, alice!, [bob!]);
  const priorities = ['low', 'normal', 'high', 'urgent'];
  const expiry = (i: number) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString();
  const outcomes = await sendAll(
    custom,
    Array.from({ length: 20 }, (_, i) => ({ user: i % 2 ? bob! : alice!, room, body: { content: `c${i}`, extra_fields: { priority: priorities[i % 4], ...(i % 3 === 0 ? { expiry_date: expiry(i) } : {}) } } })),
  );
  t.true(outcomes.every(o => o.ok), JSON.stringify(outcomes.find(o => !o.ok)));
  const stored = await custom.orm.em.fork().find(model('Message'), { room } as never);
  t.is(stored.length, 20);
  for (const message of stored as unknown as CustomMessage[]) {
    const i = Number(message.content.slice(1));
    t.is(message.priority, priorities[i % 4] as CustomMessage['priority']);
    t.is(message.expiryDate?.toISOString() ?? null, i % 3 === 0 ? expiry(i) : null);
  }
  t.deepEqual(outcomes.map(o => (o.ok ? o.message.priority : undefined)), Array.from({ length: 20 }, (_, i) => priorities[i % 4]));
});
