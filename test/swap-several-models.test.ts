import test from 'ava';
import { GroupChat, model } from '../src/index.js';
import { DeviceReadReceipt, ThreadedMessage } from '../fixtures/several-swapped/models.js';
import { settings } from '../fixtures/several-swapped/settings.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';
import { foreignKeyTarget, tableNames } from './helpers/schema.js';

const db = useTestOrm(settings);

test('a custom read receipt points at the custom message', async t => {
  t.is(model('ReadReceipt'), DeviceReadReceipt);
  const tables = await tableNames(db.orm);
  t.false(tables.includes('chat_message'));
  t.false(tables.includes('chat_read_receipt'));
  t.is(await foreignKeyTarget(db.orm, 'device_read_receipt', 'message_id'), 'threaded_message');
});

test('both custom models round-trip, and the message serializer nests the custom receipts', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'Threads', creator: alice! });
  const message = em.create(ThreadedMessage, { room: group, sender: alice!, content: '# Title', threadTitle: 'Plans', format: 'markdown' });
  em.create(DeviceReadReceipt, { message, reader: bob!, device: 'android' });
  await em.flush();

  const read = db.orm.em.fork();
  const receipt = await read.findOneOrFail(DeviceReadReceipt, { message: message.id }, { populate: ['message'] });
  t.true(receipt.message instanceof ThreadedMessage);
  t.is((receipt.message as ThreadedMessage).threadTitle, 'Plans');

  const data = (await serializerOf(settings, 'MessageSerializer', read).serialize(await read.findOneOrFail(ThreadedMessage, message.id)))!;
  t.like(data, { thread_title: 'Plans', format: 'markdown' });
  t.deepEqual((data.read_receipts as Record<string, unknown>[]).map(r => r.device), ['android']);

  const created = await serializerOf(settings, 'ReadReceiptSerializer', db.orm.em.fork()).create({ message_id: message.id, reader_id: alice!.id, device: 'web' });
  t.true(created instanceof DeviceReadReceipt);
});
