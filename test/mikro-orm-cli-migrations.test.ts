import test from 'ava';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from './helpers/project.js';
import { appliedOrder, withProjectOrm } from './helpers/applied-migrations.js';

test('npx mikro-orm migration:create writes a migration of the app only, depending on 0002_initial as Django would', async t => {
  const project = await copyProject('custom-message');
  try {
    rmSync(join(project.dir, 'migrations'), { recursive: true });
    const created = await project.mikroOrm('migration:create');
    t.is(created.code, 0, created.stdout + created.stderr);
    const name = /(Migration\d+)\.ts successfully created/.exec(created.stdout)![1]!;
    const text = project.read(`migrations/${name}.ts`);
    t.regex(text, /static readonly app = 'myapp';/);
    t.regex(text, /static readonly dependencies = \[\n {4}\['realtime_chat_messaging', '0002_initial'\],\n {4}swappable\('User'\),\n {2}\] as const;/);
    t.regex(text, /create table "custom_message"/);
    t.regex(text, /create table "custom_message_delivered_to"/);
    t.notRegex(text, /create table "chat_/, 'the package tables belong to its own migrations');
    const check = await project.chatMigrate('check');
    t.is(check.code, 1);
    t.regex(check.stdout, new RegExp(`myapp\\.${name} -> realtime_chat_messaging\\.0002_initial -> swappable\\(Message\\) = myapp\\.CustomMessage -> myapp\\.${name}`));
  } finally {
    await project.remove();
  }
});

test('npx mikro-orm migration:up refuses a graph with a cycle, naming it', async t => {
  const project = await copyProject('custom-message');
  try {
    const up = await project.mikroOrm('migration:up');
    t.not(up.code, 0);
    t.regex(up.stdout + up.stderr, /The migrations cannot run:[\s\S]*circular dependency: myapp\.Migration20261125101632 -> realtime_chat_messaging\.0002_initial/);
    t.notRegex(up.stdout + up.stderr, /Options:|^\s+at /m, "the refusal alone: neither MikroORM's help nor a stack");
  } finally {
    await project.remove();
  }
});

test('npx mikro-orm migration:up applies the same order as chat-migrate, and the schema diff is empty', async t => {
  const project = await copyProject('custom-message');
  try {
    t.is((await project.chatMigrate('fix')).code, 0);
    const plan = await project.chatMigrate('plan');
    const expected = plan.stdout.trim().split('\n').map(line => line.replace(/^\[ \] /, ''));
    const up = await project.mikroOrm('migration:up');
    t.is(up.code, 0, up.stdout + up.stderr);
    t.deepEqual(await appliedOrder(project), expected);
    t.deepEqual(expected, ['realtime_chat_messaging.0001_initial', 'myapp.Migration20261125101632', 'realtime_chat_messaging.0002_initial']);
    const diff = await project.mikroOrm('schema:update', '--dump');
    t.regex(diff.stdout, /Schema is up-to-date/);
  } finally {
    await project.remove();
  }
});

test('migrate refuses an inconsistent history: an applied migration whose dependency is not applied', async t => {
  const project = await copyProject('custom-message');
  try {
    await project.chatMigrate('fix');
    t.is((await project.chatMigrate('migrate')).code, 0);
    await withProjectOrm(project, orm => orm.em.fork().getConnection().execute(`delete from mikro_orm_migrations where name = 'myapp.Migration20261125101632'`));
    const migrate = await project.chatMigrate('migrate');
    t.is(migrate.code, 1);
    t.regex(migrate.stdout, /Refusing: the database history is inconsistent[\s\S]*realtime_chat_messaging\.0002_initial is applied, but its dependency myapp\.Migration20261125101632 is not/);
    const plan = await project.chatMigrate('plan');
    t.is(plan.code, 1);
    t.regex(plan.stdout, /\[ \] myapp\.Migration20261125101632/);
    // MikroORM's own CLI goes through the package's migrator: the same refusal, not PostgreSQL's "already exists".
    const up = await project.mikroOrm('migration:up');
    t.not(up.code, 0);
    t.regex(up.stdout + up.stderr, /Refusing: the database history is inconsistent with the migration graph; nothing was applied:\n {2}realtime_chat_messaging\.0002_initial is applied, but its dependency myapp\.Migration20261125101632 is not\./);
    t.notRegex(up.stdout + up.stderr, /already exists/);
    t.notRegex(up.stdout + up.stderr, /Options:|^\s+at /m, "the refusal alone: neither MikroORM's help nor a stack");
  } finally {
    await project.remove();
  }
});
