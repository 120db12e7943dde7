import { Room } from '../src/index.js';
import { CustomGroupChat, TeamMember } from '../fixtures/custom-group-chat/models.js';
import { settings } from '../fixtures/custom-group-chat/settings.js';
import { connectGroupChatSignals } from '../fixtures/custom-group-chat/signals.js';
import { migrationScenario } from './helpers/migration-scenario.js';
import { serializerOf } from './helpers/serializers.js';

connectGroupChatSignals();

migrationScenario({
  fixture: 'custom-group-chat',
  settings,
  entities: [CustomGroupChat, TeamMember],
  cycle: /circular dependency: teams\.(Migration\d+) -> realtime_chat_messaging\.0002_initial -> swappable\(User\) = teams\.TeamMember -> teams\.\1/,
  repointed: ['migrations/Migration20261125101638.ts'],
  order: [/^realtime_chat_messaging\.0001_initial$/, /^teams\.Migration\d+$/, /^realtime_chat_messaging\.0002_initial$/],
  async roundTrip(t, orm) {
    const em = orm.em.fork();
    const owner = em.create(TeamMember, { username: 'owner', displayName: 'The Owner' });
    const group = em.create(CustomGroupChat, { name: 'Team', creator: owner, welcomeMessage: 'Hi all', maxParticipants: 5 });
    await em.flush();
    const read = orm.em.fork();
    const room = await read.findOneOrFail(Room, group.id);
    t.true(room instanceof CustomGroupChat);
    const data = (await serializerOf(settings, 'RoomPolymorphicSerializer', read, owner).serialize(room))!;
    t.like(data, { type: 'GroupChat', welcome_message: 'Hi all', max_participants: 5, creator: { username: 'owner', display_name: 'The Owner' } });
    t.deepEqual((data.admins as { id: string }[]).map(a => a.id), [owner.id]);
  },
});
