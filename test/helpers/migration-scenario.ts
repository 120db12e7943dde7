/**
 * The guide's step 5 done with the tool, on one fixture project: check reports the cycle, fix
 * repoints, check passes, migrate builds the schema MikroORM expects, data round-trips. The
 * tests run in order on one copy of the project.
 */
import test, { type ExecutionContext } from 'ava';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, type ChatSettings } from '../../src/index.js';
import { copyProject, type Project } from './project.js';

/** What differs from one fixture to another. */
export interface Scenario {
  readonly fixture: string;
  readonly settings: ChatSettings;
  /** The application's entities (custom models and others). */
  readonly entities: Function[];
  /** The cycle as check prints it. */
  readonly cycle: RegExp;
  /** The migration files fix rewrites. */
  readonly repointed: string[];
  /** The order migrate applies the migrations in. */
  readonly order: RegExp[];
  /** Writes and reads data through the package on the migrated database. */
  readonly roundTrip: (t: ExecutionContext, orm: MikroORM) => Promise<void>;
}

/** Registers the scenario's tests on a copy of the fixture. */
export function migrationScenario(scenario: Scenario): void {
  let project: Project;
  test.before(async () => {
    project = await copyProject(scenario.fixture);
  });
  test.after.always(async () => {
    await project?.remove();
  });

  test.serial('check reports the cycle the swapped model closes, naming the file and line', async t => {
    const result = await project.chatMigrate('check');
    t.is(result.code, 1, result.stdout + result.stderr);
    t.regex(result.stdout, scenario.cycle);
    for (const file of scenario.repointed) t.regex(result.stdout, new RegExp(`${file.replace(/\./g, '\\.')}:\\d+: \\S+ depends on realtime_chat_messaging\\.0002_initial`));
    t.regex(result.stdout, /chat-migrate fix can mend it/);
  });

  test.serial('fix --dry-run prints the repoint as a unified diff and writes nothing', async t => {
    const before = project.fingerprint();
    const result = await project.chatMigrate('fix', '--dry-run');
    t.is(result.code, 0, result.stdout + result.stderr);
    for (const file of scenario.repointed) t.true(result.stdout.includes(`--- a/${file}\n+++ b/${file}\n`), result.stdout);
    t.regex(result.stdout, /^-    \['realtime_chat_messaging', '0002_initial'\],\n\+    \['realtime_chat_messaging', '0001_initial'\],$/m);
    t.deepEqual(project.fingerprint(), before);
  });

  test.serial('fix repoints each custom migration in the cycle to 0001_initial and changes nothing else', async t => {
    const before = project.fingerprint();
    const texts = Object.fromEntries(scenario.repointed.map(file => [file, project.read(file)]));
    const result = await project.chatMigrate('fix');
    t.is(result.code, 0, result.stdout + result.stderr);
    t.regex(result.stdout, /The migration graph is consistent/);
    const after = project.fingerprint();
    const changed = Object.keys(after).filter(file => after[file] !== before[file]).sort();
    t.deepEqual(changed, [...scenario.repointed].sort());
    for (const file of scenario.repointed) {
      t.is(project.read(file), texts[file]!.replace("['realtime_chat_messaging', '0002_initial']", "['realtime_chat_messaging', '0001_initial']"));
    }
  });

  test.serial('a second fix finds nothing to do and changes no byte', async t => {
    const before = project.fingerprint();
    const result = await project.chatMigrate('fix');
    t.is(result.code, 0);
    t.regex(result.stdout, /Nothing to fix/);
    t.deepEqual(project.fingerprint(), before);
  });

  test.serial('check passes after the fix', async t => {
    const result = await project.chatMigrate('check');
    t.is(result.code, 0, result.stdout + result.stderr);
    t.regex(result.stdout, /^No problems: \d+ migrations/);
  });

  test.serial('migrate applies every migration in dependency order, and plan marks them applied', async t => {
    const result = await project.chatMigrate('migrate');
    t.is(result.code, 0, result.stdout + result.stderr);
    const applied = result.stdout.split('\n').filter(line => line.startsWith('Applied ')).map(line => line.slice('Applied '.length));
    t.is(applied.length, scenario.order.length, result.stdout);
    scenario.order.forEach((pattern, i) => t.regex(applied[i]!, pattern));
    const plan = await project.chatMigrate('plan');
    t.is(plan.code, 0, plan.stdout + plan.stderr);
    t.deepEqual(plan.stdout.trim().split('\n'), applied.map(name => `[X] ${name}`));
    const again = await project.chatMigrate('migrate');
    t.regex(again.stdout, /Nothing to migrate/);
  });

  test.serial("MikroORM's own schema diff against the entities is empty after migrating", async t => {
    const result = await project.mikroOrm('schema:update', '--dump');
    t.is(result.code, 0, result.stdout + result.stderr);
    t.regex(result.stdout, /Schema is up-to-date/);
  });

  test.serial('data round-trips through the package on the migrated database', async t => {
    const orm = await MikroORM.init(
      await chatOrmConfig(scenario.settings, {
        database: project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR },
        entities: scenario.entities,
      }),
    );
    try {
      await scenario.roundTrip(t, orm);
    } finally {
      await orm.close(true);
    }
  });
}
