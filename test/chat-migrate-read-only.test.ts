/**
 * `plan` reads and never creates: not a database whose name is mistyped, not a PGlite data
 * directory that is not there, not the migrations table of an empty database.
 */
import test from 'ava';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { copyProject, type Project } from './helpers/project.js';

async function inCopy(body: (project: Project) => Promise<void>): Promise<void> {
  const project = await copyProject('custom-message');
  try {
    await project.chatMigrate('fix');
    await body(project);
  } finally {
    await project.remove();
  }
}

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const serverUrl = process.env.DATABASE_URL?.trim();

(serverUrl ? test : test.skip)('plan on a mistyped database name says it cannot reach it, and creates neither the database nor its table', async t => {
  await inCopy(async project => {
    const url = new URL(serverUrl!);
    url.pathname = `/${project.database.target.url!.split('/').pop()}_doesnotexist`;
    const plan = await project.chatMigrateWith({ env: { DATABASE_URL: url.toString() } }, 'plan');
    t.is(plan.code, 4, plan.stdout + plan.stderr);
    t.regex(plan.stderr, /cannot reach the database of .*mikro-orm\.config\.ts: .*does not exist.*; nothing was created/);
    const found = await query(serverUrl!, 'select 1 from pg_database where datname = $1', [url.pathname.slice(1)]);
    t.deepEqual(found, []);
  });
});

(serverUrl ? test : test.skip)('plan on an empty database lists every migration as pending without creating the migrations table', async t => {
  await inCopy(async project => {
    const plan = await project.chatMigrate('plan');
    t.is(plan.code, 0, plan.stdout + plan.stderr);
    t.deepEqual(plan.stdout.trim().split('\n'), ['[ ] realtime_chat_messaging.0001_initial', '[ ] myapp.Migration20261125101632', '[ ] realtime_chat_messaging.0002_initial']);
    t.deepEqual(await query(project.database.target.url!, "select to_regclass('mikro_orm_migrations') as found"), [{ found: null }]);
  });
});

test('plan on a PGlite data directory that is not there says so and creates nothing', async t => {
  await inCopy(async project => {
    const missing = join(project.dir, 'no-such-data');
    const env = { DATABASE_URL: '', CHAT_DATA_DIR: missing };
    const plan = await project.chatMigrateWith({ env }, 'plan');
    t.is(plan.code, 4, plan.stdout + plan.stderr);
    t.regex(plan.stderr, /no database at .*no-such-data .*; nothing was created/);
    t.false(existsSync(missing));
    mkdirSync(missing);
    const empty = await project.chatMigrateWith({ env }, 'plan');
    t.is(empty.code, 0, empty.stdout + empty.stderr);
    t.regex(empty.stdout, /^\[ \] realtime_chat_messaging\.0001_initial$/m, 'an empty data directory is an empty database');
    t.deepEqual(readdirSync(missing), [], 'and plan did not create one in it');
    const migrate = await project.chatMigrateWith({ env }, 'migrate');
    t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
    const after = await project.chatMigrateWith({ env }, 'plan');
    t.is(after.code, 0, after.stdout + after.stderr);
    t.regex(after.stdout, /^\[X\] realtime_chat_messaging\.0001_initial$/m);
  });
});
