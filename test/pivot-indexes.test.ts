/**
 * Every pivot of the package's relations has an index on its user column: a user's rooms (read on
 * every connect), their pending notifications and the cascade when a user is deleted are found
 * through it, whatever the other users' rows.
 */
import test from 'ava';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, defineChatSettings } from '../src/index.js';
import { createTestDatabase } from './helpers/database.js';
import { leadingIndexColumns, pivotTargets } from './helpers/schema.js';

const settings = defineChatSettings({});

test('after the real migrations, each pivot is indexed by its user column and the schema is up to date', async t => {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, allowGlobalContext: false }));
  try {
    await orm.getMigrator().up();
    const pivots = pivotTargets(orm);
    t.deepEqual(
      pivots.map(p => p.table),
      ['chat_message_delivered_to', 'chat_notification_recipients', 'chat_room_admins', 'chat_room_moderators', 'chat_room_participants', 'chat_room_subscribers'],
    );
    for (const { table, column } of pivots) t.true((await leadingIndexColumns(orm, table)).includes(column), `${table} has an index led by ${column}`);
    t.is((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim(), '');

    if (database.kind === 'postgresql') {
      // Many rows of other users: a lookup of one user's rows goes through the index.
      const connection = orm.em.fork().getConnection();
      await connection.execute(`insert into chat_user (id, username) select gen_random_uuid(), 'u' || g from generate_series(1, 2000) g`);
      await connection.execute(`insert into chat_room_property (preferences) select '{}' from generate_series(1, 50)`);
      await connection.execute(`insert into chat_room (id, type, name, property_id, created_at, updated_at) select gen_random_uuid(), 'GroupChat', 'r' || p.id, p.id, now(), now() from chat_room_property p`);
      await connection.execute(`insert into chat_room_participants (room_id, user_id) select r.id, u.id from chat_room r, chat_user u`);
      await connection.execute('analyze chat_room_participants');
      const plan = (await connection.execute<{ 'QUERY PLAN': string }[]>(
        `explain select room_id from chat_room_participants where user_id = any(array(select id from chat_user limit 3))`,
      )) as { 'QUERY PLAN': string }[];
      const text = plan.map(row => row['QUERY PLAN']).join('\n');
      t.notRegex(text, /Seq Scan on chat_room_participants/, text);
      t.regex(text, /chat_room_participants_user_id_index/, text);
    }
  } finally {
    await orm.close(true);
    await database.drop();
  }
});
