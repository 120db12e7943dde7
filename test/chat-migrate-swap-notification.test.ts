/**
 * Swapping ChatNotification after the first migrate. The default notification's recipients are
 * checked by statement-level keys (functions and triggers, on the pivot and on the user and
 * notification tables); the swap must take them away with the old pivot, or deleting a user would
 * run a trigger on a table that is gone. The custom notification's recipients get MikroORM's
 * foreign keys instead.
 */
import test from 'ava';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, type DatabaseTarget } from '../src/index.js';
import { CustomNotification } from '../fixtures/custom-notification/models.js';
import { settings as customSettings } from '../fixtures/custom-notification/settings.js';
import type { Project } from './helpers/project.js';
import { teamBeforeSwap } from './helpers/team-before-swap.js';
import { canonicalRow, tableRows } from './helpers/table-rows.js';

let project: Project;
let database: DatabaseTarget;
let before: Record<string, string[]>;
let bobId: string;

test.before(async () => {
  ({ project, database, before, bobId } = await teamBeforeSwap('swap-notification', 'notices'));
});
test.after.always(async () => {
  await project?.remove();
});

test.serial('swap and migrate move the notifications and their recipients; the old keys go, the new pivot has foreign keys', async t => {
  t.is(before.chat_notification!.length, 6);
  t.is(before.chat_notification_recipients!.length, 12);
  const swap = await project.chatMigrate('swap', 'ChatNotification');
  t.is(swap.code, 0, swap.stdout + swap.stderr);
  const migration = project.read(swap.stdout.match(/^Wrote (\S+),/m)![1]!);
  t.regex(migration, /drop function if exists "chat_notification_recipients_user_id_foreign_cascade"\(\) cascade;/);
  const migrate = await project.chatMigrate('migrate');
  t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
  const diff = await project.mikroOrm('schema:update', '--dump');
  t.regex(diff.stdout, /Schema is up-to-date/, diff.stdout + diff.stderr);

  const orm = await MikroORM.init(await chatOrmConfig(customSettings, { database, entities: [CustomNotification] }));
  try {
    const after = await tableRows(orm);
    const expected: Record<string, string[]> = { ...before };
    delete expected.chat_notification;
    delete expected.chat_notification_recipients;
    expected.custom_notification = before.chat_notification!.map(row => canonicalRow({ ...JSON.parse(row), pushed_at: null })).sort();
    expected.custom_notification_recipients = before.chat_notification_recipients!;
    t.deepEqual(Object.keys(after).sort(), Object.keys(expected).sort());
    for (const table of Object.keys(expected)) t.deepEqual(after[table], expected[table], `rows of ${table}`);

    const connection = orm.em.fork().getConnection();
    t.deepEqual(await connection.execute(`select proname from pg_proc where proname like 'chat_notification_recipients%'`), [], 'no function of the old keys is left');
    const keys = (await connection.execute(`select conname from pg_constraint where conrelid = 'custom_notification_recipients'::regclass and contype = 'f' order by conname`)) as { conname: string }[];
    t.is(keys.length, 2, JSON.stringify(keys));
    // Deleting a user runs no trigger of the old pivot, and their recipient rows go by the new foreign key.
    await connection.execute('delete from chat_user where id = ?', [bobId]);
    t.deepEqual(await connection.execute('select * from custom_notification_recipients where user_id = ?', [bobId]), []);
  } finally {
    await orm.close(true);
  }
});
