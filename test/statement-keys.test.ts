/**
 * The default notification's recipients are checked per statement instead of by two row-level
 * foreign keys (src/entities/statement-keys.ts): the same guarantees, tested as a foreign key would be,
 * after the real migrations and after `createSchema`, and against concurrent deletes.
 */
import test, { type ExecutionContext } from 'ava';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { chatOrmConfig, defineChatSettings, statementKeysUpgradeSql } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const settings = defineChatSettings({});

interface Fixture {
  readonly orm: MikroORM;
  readonly database: TestDatabase;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

async function withSchema(t: ExecutionContext, how: 'migrations' | 'createSchema', run: (f: Fixture) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, allowGlobalContext: false }));
  try {
    if (how === 'migrations') await orm.getMigrator().up();
    else await orm.schema.createSchema();
    const connection = orm.em.fork().getConnection();
    await run({ orm, database, sql: (text, params = []) => connection.execute(text, params) as never });
  } finally {
    await orm.close(true);
    await database.drop();
  }
  t.pass();
}

/** Three users, a room, a message and its notification for users a and b. */
async function seed(f: Fixture): Promise<{ a: string; b: string; c: string; message: string; notification: string }> {
  const users = await f.sql<{ id: string; username: string }>(
    `insert into chat_user (id, username) select gen_random_uuid(), name || '-' || gen_random_uuid() from unnest(array['a', 'b', 'c']) name returning id, username`,
  );
  const id = (name: string) => users.find(u => u.username.startsWith(`${name}-`))!.id;
  const [property] = await f.sql<{ id: number }>(`insert into chat_room_property (preferences) values ('{}') returning id`);
  const [room] = await f.sql<{ id: string }>(`insert into chat_room (id, type, name, property_id, created_at, updated_at) values (gen_random_uuid(), 'GroupChat', 'r', ?, now(), now()) returning id`, [property!.id]);
  const [message] = await f.sql<{ id: string }>(
    `insert into chat_message (id, room_id, sender_id, content, created_at, updated_at) values (gen_random_uuid(), ?, ?, 'hi', now(), now()) returning id`,
    [room!.id, id('c')],
  );
  const [notification] = await f.sql<{ id: string }>(`insert into chat_notification (id, message_id) values (gen_random_uuid(), ?) returning id`, [message!.id]);
  await f.sql(`insert into chat_notification_recipients (notification_id, user_id) values (?, ?), (?, ?)`, [notification!.id, id('a'), notification!.id, id('b')]);
  return { a: id('a'), b: id('b'), c: id('c'), message: message!.id, notification: notification!.id };
}

async function recipients(f: Fixture): Promise<string[]> {
  return (await f.sql<{ user_id: string }>('select user_id from chat_notification_recipients order by user_id')).map(r => r.user_id);
}

async function violation(t: ExecutionContext, f: Fixture, text: string, params: unknown[], key: string): Promise<void> {
  const error = await t.throwsAsync(f.sql(text, params));
  t.is((error as { code?: string }).code, '23503', error?.message);
  t.true(error!.message.includes(key), error?.message);
}

for (const how of ['migrations', 'createSchema'] as const) {
  test(`after ${how}: a recipient must be a user and the notification must exist, checked once per statement`, t =>
    withSchema(t, how, async f => {
      const { a, c, notification } = await seed(f);
      // The foreign keys are gone: their triggers do the work.
      t.deepEqual(await f.sql(`select conname from pg_constraint where conrelid = 'chat_notification_recipients'::regclass and contype = 'f'`), []);
      await violation(t, f, `insert into chat_notification_recipients (notification_id, user_id) values (?, ?), (?, gen_random_uuid())`, [notification, c, notification], 'chat_notification_recipients_user_id_foreign');
      await violation(t, f, `insert into chat_notification_recipients (notification_id, user_id) values (gen_random_uuid(), ?)`, [c], 'chat_notification_recipients_notification_id_foreign');
      await violation(t, f, `update chat_notification_recipients set user_id = gen_random_uuid() where user_id = ?`, [a], 'chat_notification_recipients_user_id_foreign');
      // Nothing of the failed statements stayed; a valid one goes in.
      t.is((await recipients(f)).length, 2);
      await f.sql(`insert into chat_notification_recipients (notification_id, user_id) values (?, ?)`, [notification, c]);
      t.is((await recipients(f)).length, 3);
      t.is((await f.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim(), '', 'the schema is up to date, keys included');
    }));

  test(`after ${how}: deleting, re-keying or truncating what recipients point at cascades`, t =>
    withSchema(t, how, async f => {
      const { a, b, message, notification } = await seed(f);
      await f.sql('delete from chat_user where id = ?', [a]);
      t.deepEqual(await recipients(f), [b]);
      const moved = (await f.sql<{ id: string }>('select gen_random_uuid() as id'))[0]!.id;
      await f.sql('update chat_user set id = ? where id = ?', [moved, b]);
      t.deepEqual(await recipients(f), [moved], 'a new user id is followed, as on update cascade');
      await f.sql('delete from chat_message where id = ?', [message]);
      t.deepEqual(await f.sql('select id from chat_notification where id = ?', [notification]), []);
      t.deepEqual(await recipients(f), []);
      const again = await seed(f);
      t.is((await recipients(f)).length, 2);
      await f.sql('truncate chat_notification');
      t.deepEqual(await recipients(f), []);
      t.truthy(again);
    }));
}

test('a delete racing an insert of recipients leaves no recipient without its user, in either order', async t => {
  const database = await createTestDatabase();
  if (database.kind === 'pglite') {
    t.pass('PGlite runs one connection: nothing races');
    return;
  }
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, allowGlobalContext: false }));
  try {
    await orm.schema.createSchema();
    const connection = orm.em.fork().getConnection();
    const f: Fixture = { orm, database, sql: (text, params = []) => connection.execute(text, params) as never };
    const { a, notification } = await seed(f);
    const [c] = await f.sql<{ id: string }>(`insert into chat_user (id, username) values (gen_random_uuid(), 'd-' || gen_random_uuid()) returning id`);

    // The insert first: the delete waits for it, then takes the new row with the user.
    const inserter = orm.em.fork() as EntityManager;
    await inserter.begin();
    await inserter.execute(`insert into chat_notification_recipients (notification_id, user_id) values (?, ?)`, [notification, c!.id]);
    const deleter = orm.em.fork() as EntityManager;
    const deleted = deleter.transactional(em => (em as EntityManager).execute('delete from chat_user where id = ?', [c!.id]));
    await new Promise(resolve => setTimeout(resolve, 200));
    await inserter.commit();
    await deleted;
    t.deepEqual(await f.sql('select * from chat_notification_recipients where user_id = ?', [c!.id]), []);

    // The delete first: the insert waits for it, then fails.
    const first = orm.em.fork() as EntityManager;
    await first.begin();
    await first.execute('delete from chat_user where id = ?', [a]);
    const second = orm.em.fork() as EntityManager;
    const inserted = second.transactional(em => (em as EntityManager).execute(`insert into chat_notification_recipients (notification_id, user_id) values (?, ?) on conflict do nothing`, [notification, a]));
    await new Promise(resolve => setTimeout(resolve, 200));
    await first.commit();
    const error = await t.throwsAsync(inserted);
    t.is((error as { code?: string }).code, '23503', error?.message);
    t.deepEqual(await f.sql('select * from chat_notification_recipients where user_id = ?', [a]), []);
  } finally {
    await orm.close(true);
    await database.drop();
  }
});

test('a database migrated with the two foreign keys moves to the statement-level keys with statementKeysUpgradeSql', async t => {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, allowGlobalContext: false }));
  try {
    await orm.getMigrator().up();
    const connection = orm.em.fork().getConnection();
    const f: Fixture = { orm, database, sql: (text, params = []) => connection.execute(text, params) as never };
    // What an earlier version left: the foreign keys, no triggers.
    for (const name of ['chat_notification_recipients_notification_id_foreign', 'chat_notification_recipients_user_id_foreign']) {
      await f.sql(`drop function if exists "${name}_check"() cascade`);
      await f.sql(`drop function if exists "${name}_cascade"() cascade`);
    }
    await f.sql(`alter table chat_notification_recipients add constraint chat_notification_recipients_notification_id_foreign foreign key (notification_id) references chat_notification (id) on update cascade on delete cascade`);
    await f.sql(`alter table chat_notification_recipients add constraint chat_notification_recipients_user_id_foreign foreign key (user_id) references chat_user (id) on update cascade on delete cascade`);
    const { a, b, notification } = await seed(f);
    t.not((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim(), '', 'the schema generator sees the difference');

    const upgrade = statementKeysUpgradeSql(orm.em.fork());
    for (const statement of [...upgrade, ...upgrade]) await f.sql(statement);
    t.deepEqual(await f.sql(`select conname from pg_constraint where conrelid = 'chat_notification_recipients'::regclass and contype = 'f'`), []);
    t.is((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim(), '');
    await violation(t, f, `insert into chat_notification_recipients (notification_id, user_id) values (?, gen_random_uuid())`, [notification], 'chat_notification_recipients_user_id_foreign');
    await f.sql('delete from chat_user where id = ?', [a]);
    t.deepEqual(await recipients(f), [b]);
  } finally {
    await orm.close(true);
    await database.drop();
  }
});

test('the keys look up the referenced rows by index however small the tables were when their plans were made', async t => {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, allowGlobalContext: false }));
  try {
    await orm.schema.createSchema();
    // One transaction: one session, whose PL/pgSQL plans are cached, and its own scan counts (pg_stat_xact_user_tables).
    await orm.em.fork().transactional(async em => {
      const connection = em.getConnection();
      const tx = em.getTransactionContext();
      const f: Fixture = { orm, database, sql: (text, params = []) => connection.execute(text, params, 'all', tx) as never };
      const { c, message } = await seed(f);
      const notify = async () => {
        const [row] = await f.sql<{ id: string }>(`insert into chat_notification (id, message_id) values (gen_random_uuid(), ?) returning id`, [message]);
        await f.sql(`insert into chat_notification_recipients (notification_id, user_id) values (?, ?)`, [row!.id, c]);
      };
      // Enough statements on tiny tables for PL/pgSQL to keep one plan for the check's lookups.
      for (let i = 0; i < 8; i++) await notify();
      // The tables grow, with no ANALYZE since (autovacuum off, or not yet come round).
      await f.sql(`insert into chat_notification (id, message_id) select gen_random_uuid(), ? from generate_series(1, 5000)`, [message]);
      const scans = async () => Number((await f.sql<{ n: string }>(`select coalesce(sum(seq_scan), 0) as n from pg_stat_xact_user_tables where relname in ('chat_notification', 'chat_user')`))[0]!.n);
      const before = await scans();
      await notify();
      t.is(await scans(), before, 'no sequential scan of the referenced tables');
    });
  } finally {
    await orm.close(true);
    await database.drop();
  }
});
