import { GroupChat, Room } from '../src/index.js';
import { CustomRoomProperty, PinnedRoom } from '../fixtures/custom-room-property/models.js';
import { settings } from '../fixtures/custom-room-property/settings.js';
import { migrationScenario } from './helpers/migration-scenario.js';
import { createUsers } from './helpers/factories.js';

migrationScenario({
  fixture: 'custom-room-property',
  settings,
  entities: [CustomRoomProperty, PinnedRoom],
  cycle: /circular dependency: rooms\.(Migration\d+) -> realtime_chat_messaging\.0002_initial -> swappable\(RoomProperty\) = rooms\.CustomRoomProperty -> rooms\.\1/,
  repointed: ['migrations/Migration20261125101640.ts'],
  order: [/^realtime_chat_messaging\.0001_initial$/, /^rooms\.Migration\d+$/, /^realtime_chat_messaging\.0002_initial$/],
  async roundTrip(t, orm) {
    const em = orm.em.fork();
    const [alice] = await createUsers(em, 'alice');
    const group = em.create(GroupChat, { name: 'Pinned', creator: alice! });
    em.create(PinnedRoom, { user: alice!, room: group });
    await em.flush();
    const read = orm.em.fork();
    const room = await read.findOneOrFail(Room, group.id, { populate: ['property'] });
    t.true(room.property instanceof CustomRoomProperty);
    t.is((room.property as CustomRoomProperty).theme, 'light');
    t.is(await read.count(PinnedRoom, { room: group.id }), 1);
  },
});
