import test from 'ava';
import { Channel, GroupChat, OneToOneChat, Room } from '../src/index.js';
import { CustomRoomProperty } from '../fixtures/custom-room-property/models.js';
import { settings } from '../fixtures/custom-room-property/settings.js';
import { useTestOrm } from './helpers/orm.js';
import { createUsers } from './helpers/factories.js';
import { serializerOf } from './helpers/serializers.js';

const db = useTestOrm(settings);

test('every default room type gets a custom room property with its default theme', async t => {
  const em = db.orm.em.fork();
  const [alice, bob] = await createUsers(em, 'alice', 'bob');
  const group = em.create(GroupChat, { name: 'G', creator: alice! });
  const channel = em.create(Channel, { name: 'C', creator: alice! });
  const direct = em.create(OneToOneChat, {});
  direct.participants.add(alice!, bob!);
  await em.flush();
  for (const room of [group, channel, direct]) {
    const stored = await db.orm.em.fork().findOneOrFail(Room, room.id, { populate: ['property'] });
    t.true(stored.property instanceof CustomRoomProperty);
    t.is((stored.property as CustomRoomProperty).theme, 'light');
  }
});

test('the custom property serializer reads and writes the theme', async t => {
  const em = db.orm.em.fork();
  const [alice] = await createUsers(em, 'alice');
  const group = em.create(GroupChat, { name: 'Dark', creator: alice! });
  await em.flush();
  const serializer = serializerOf(settings, 'RoomPropertySerializer', em);
  await serializer.update(group.property, { theme: 'dark', preferences: { muted: true } });
  const stored = await db.orm.em.fork().findOneOrFail(CustomRoomProperty, group.property.id);
  t.deepEqual(await serializerOf(settings, 'RoomPropertySerializer', db.orm.em.fork()).serialize(stored), { preferences: { muted: true }, theme: 'dark' });
});
