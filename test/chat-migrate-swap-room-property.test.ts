/**
 * Swapping RoomProperty after the first migrate: its ids come from a sequence, so the swap must
 * carry the sequence on after the copied ids, or the next room's property would take an id in use.
 */
import test from 'ava';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, createChatEngine, defineChatSettings, GroupChat, type AbstractUser, type DatabaseTarget } from '../src/index.js';
import { CustomRoomProperty } from '../fixtures/custom-room-property/models.js';
import { settings as customSettings } from '../fixtures/custom-room-property/settings.js';
import { createUsers } from './helpers/factories.js';
import { copyProject, type Project } from './helpers/project.js';
import { canonicalRow, tableRows } from './helpers/table-rows.js';

let project: Project;
let database: DatabaseTarget;
let before: Record<string, string[]>;

test.before(async () => {
  project = await copyProject('swap-room-property');
  database = project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR! };
  const settings = defineChatSettings();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database, baseDir: project.dir, apps: { rooms: { migrations: 'migrations' } }, migrations: { silent: true } }));
  try {
    await orm.getMigrator().up();
    const engine = createChatEngine({ orm, settings });
    const [alice, bob] = (await createUsers(orm.em.fork(), 'alice', 'bob')) as [AbstractUser, AbstractUser];
    for (let i = 0; i < 7; i++) await engine.createRoom(alice, { type: 'GroupChat', name: `Group ${i}`, participants: [bob.id], extra_fields: { property: { preferences: { muted: i % 2 === 0 } } } });
    before = await tableRows(orm);
  } finally {
    await orm.close(true);
  }
});
test.after.always(async () => {
  await project?.remove();
});

test.serial('swap and migrate move the room properties with their ids, and the next room gets the next id', async t => {
  t.is(before.chat_room_property!.length, 7);
  const swap = await project.chatMigrate('swap', 'RoomProperty');
  t.is(swap.code, 0, swap.stdout + swap.stderr);
  t.regex(swap.stdout, /moves RoomProperty from chat_room_property to custom_room_property \(CustomRoomProperty\): 1 table of rows copied, 1 key moved \(chat_room\.property_id\)/);
  t.regex(project.read(swap.stdout.match(/^Wrote (\S+),/)![1]!), /perform setval\(pg_get_serial_sequence\('"custom_room_property"', 'id'\)/);
  const migrate = await project.chatMigrate('migrate');
  t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
  const diff = await project.mikroOrm('schema:update', '--dump');
  t.regex(diff.stdout, /Schema is up-to-date/, diff.stdout + diff.stderr);

  const orm = await MikroORM.init(await chatOrmConfig(customSettings, { database, entities: [CustomRoomProperty] }));
  try {
    const after = await tableRows(orm);
    const expected: Record<string, string[]> = { ...before };
    delete expected.chat_room_property;
    expected.custom_room_property = before.chat_room_property!.map(row => canonicalRow({ ...JSON.parse(row), theme: 'light' })).sort();
    t.deepEqual(Object.keys(after).sort(), Object.keys(expected).sort());
    for (const table of Object.keys(expected)) t.deepEqual(after[table], expected[table], `rows of ${table}`);

    const engine = createChatEngine({ orm, settings: customSettings });
    const [carol] = (await createUsers(orm.em.fork(), 'carol')) as [AbstractUser];
    const created = await engine.createRoom(carol, { type: 'GroupChat', name: 'After the swap', participants: [] });
    const room = await orm.em.fork().findOneOrFail(GroupChat, (created.result as { id: string }).id, { populate: ['property'] });
    const maxBefore = Math.max(...before.chat_room_property!.map(row => Number(JSON.parse(row).id)));
    t.is(Number(room.property.id), maxBefore + 1);
    t.true(room.property instanceof CustomRoomProperty);
  } finally {
    await orm.close(true);
  }
});
