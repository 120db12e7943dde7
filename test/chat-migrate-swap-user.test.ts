/**
 * Swapping User after the first migrate. The default notification's recipients point at the users
 * through statement-level keys (a check function naming the user table, triggers on it): the swap
 * must point them at the new table, or every send would look its recipients up in a table that is
 * gone, and deleting a user would no longer cascade to them.
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, type DatabaseTarget } from '../src/index.js';
import { CustomUser } from '../fixtures/custom-user/models.js';
import { settings as customSettings } from '../fixtures/custom-user/settings.js';
import type { Project } from './helpers/project.js';
import { teamBeforeSwap } from './helpers/team-before-swap.js';
import { canonicalRow, tableRows } from './helpers/table-rows.js';

let project: Project;
let database: DatabaseTarget;
let before: Record<string, string[]>;
let bobId: string;

test.before(async () => {
  ({ project, database, before, bobId } = await teamBeforeSwap('swap-user', 'accounts', (sql, bob) => sql(`update chat_user set email = 'bob@example.org', first_name = 'Bob' where id = ?`, [bob]).then(() => {})));
});
test.after.always(async () => {
  await project?.remove();
});

test.serial('swap and migrate move the users; the recipients are checked against the new table and follow its deletes', async t => {
  t.is(before.chat_user!.length, 3);
  t.is(before.chat_notification_recipients!.length, 12);
  // A custom user without the default's email and names: their values would be dropped, so swap refuses.
  const models = join(project.dir, '..', 'custom-user', 'models.ts');
  const full = readFileSync(models, 'utf8');
  writeFileSync(models, full.replace(/ {2}@Property\(\{ type: 'string', length: (254|150), nullable: true \}\)\n {2}\w+\?: string \| null = null;\n\n/g, ''));
  const refused = await project.chatMigrate('swap', 'User');
  t.is(refused.code, 1, refused.stdout + refused.stderr);
  t.regex(refused.stderr, /CustomUser has no properties for chat_user's email, first_name, last_name: the swap would drop their values with the old table/);
  writeFileSync(models, full);

  const swap = await project.chatMigrate('swap', 'User');
  t.is(swap.code, 0, swap.stdout + swap.stderr);
  const migration = project.read(swap.stdout.match(/^Wrote (\S+),/m)![1]!);
  t.regex(migration, /create or replace function "chat_notification_recipients_user_id_foreign_check"\(\)[^`]*from "custom_user"/);
  const migrate = await project.chatMigrate('migrate');
  t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
  const diff = await project.mikroOrm('schema:update', '--dump');
  t.regex(diff.stdout, /Schema is up-to-date/, diff.stdout + diff.stderr);

  const orm = await MikroORM.init(await chatOrmConfig(customSettings, { database, entities: [CustomUser] }));
  try {
    const after = await tableRows(orm);
    const expected: Record<string, string[]> = { ...before };
    delete expected.chat_user;
    expected.custom_user = before.chat_user!.map(row => canonicalRow({ ...JSON.parse(row), display_name: null })).sort();
    t.deepEqual(Object.keys(after).sort(), Object.keys(expected).sort());
    for (const table of Object.keys(expected)) t.deepEqual(after[table], expected[table], `rows of ${table}`);

    const connection = orm.em.fork().getConnection();
    const [{ id: notification }] = (await connection.execute('select notification_id as id from chat_notification_recipients limit 1')) as { id: string }[];
    const error = await t.throwsAsync(connection.execute('insert into chat_notification_recipients (notification_id, user_id) values (?, gen_random_uuid())', [notification]));
    t.is((error as { code?: string }).code, '23503', error?.message);
    await connection.execute('delete from custom_user where id = ?', [bobId]);
    t.deepEqual(await connection.execute('select * from chat_notification_recipients where user_id = ?', [bobId]), []);
    // Bob's four rows went, and so did the four of his two messages' notifications (messages cascade from their sender).
    t.is(((await connection.execute('select count(*)::int as n from chat_notification_recipients')) as { n: number }[])[0]!.n, 4);
  } finally {
    await orm.close(true);
  }
});
