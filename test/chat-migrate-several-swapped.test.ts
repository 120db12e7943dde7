import { GroupChat } from '../src/index.js';
import { DeviceReadReceipt, ThreadedMessage } from '../fixtures/several-swapped/models.js';
import { settings } from '../fixtures/several-swapped/settings.js';
import { migrationScenario } from './helpers/migration-scenario.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';

migrationScenario({
  fixture: 'several-swapped',
  settings,
  entities: [ThreadedMessage, DeviceReadReceipt],
  cycle: /circular dependency: messaging\.(Migration\d+) -> realtime_chat_messaging\.0002_initial -> swappable\(Message\) = messaging\.ThreadedMessage -> messaging\.\1/,
  repointed: ['messaging/migrations/Migration20261125101637.ts'],
  order: [/^realtime_chat_messaging\.0001_initial$/, /^messaging\.Migration\d+$/, /^realtime_chat_messaging\.0002_initial$/, /^receipts\.Migration\d+$/],
  async roundTrip(t, orm) {
    const em = orm.em.fork();
    const [alice, bob] = await createUsers(em, 'alice', 'bob');
    const group = em.create(GroupChat, { name: 'Threads', creator: alice! });
    const message = em.create(ThreadedMessage, { room: group, sender: alice!, content: '# plan', threadTitle: 'Plan', format: 'markdown' });
    em.create(DeviceReadReceipt, { message, reader: bob!, device: 'ios' });
    await em.flush();
    const read = orm.em.fork();
    const receipt = await read.findOneOrFail(DeviceReadReceipt, { message: message.id }, { populate: ['message'] });
    t.true(receipt.message instanceof ThreadedMessage);
    const data = (await serializerOf(settings, 'MessageSerializer', read).serialize(receipt.message))!;
    t.like(data, { thread_title: 'Plan', format: 'markdown' });
    t.deepEqual((data.read_receipts as { device: string }[]).map(r => r.device), ['ios']);
  },
});
