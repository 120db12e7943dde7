import { GroupChat, model } from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings } from '../fixtures/custom-message/settings.js';
import { migrationScenario } from './helpers/migration-scenario.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';

migrationScenario({
  fixture: 'custom-message',
  settings,
  entities: [CustomMessage],
  cycle: /circular dependency: myapp\.(Migration\d+) -> realtime_chat_messaging\.0002_initial -> swappable\(Message\) = myapp\.CustomMessage -> myapp\.\1/,
  repointed: ['migrations/Migration20261125101632.ts'],
  order: [/^realtime_chat_messaging\.0001_initial$/, /^myapp\.Migration\d+$/, /^realtime_chat_messaging\.0002_initial$/],
  async roundTrip(t, orm) {
    const em = orm.em.fork();
    const [alice] = await createUsers(em, 'alice');
    const group = em.create(GroupChat, { name: 'Guide', creator: alice! });
    const message = em.create(CustomMessage, { room: group, sender: alice!, content: 'urgent', priority: 'urgent', isPinned: true });
    group.lastMessage = message;
    await em.flush();
    const read = orm.em.fork();
    const stored = await read.findOneOrFail(CustomMessage, message.id);
    t.is(stored.priority, 'urgent');
    const data = (await serializerOf(settings, 'MessageSerializer', read).serialize(stored))!;
    t.like(data, { priority: 'urgent', is_pinned: true, room: { id: group.id } });
    const room = await read.findOneOrFail(GroupChat, group.id, { populate: ['lastMessage'] });
    t.true(room.lastMessage instanceof CustomMessage);
    t.is(model('Message'), CustomMessage);
  },
});
