/**
 * The cache never answers for another project state: app folders resolve against the config's
 * folder wherever chat-migrate is started, and the cached facts are keyed on what they depend on
 * (the working folder, the environment variables the config read, the files it loaded), by
 * content, so that a copy of the cache (a CI cache, another checkout) answers for the same project.
 */
import test from 'ava';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyProject, ROOT, type Project, type Run } from './helpers/project.js';

const CYCLE = /^1 problem found \(realtime_chat_messaging: 2, myapp: 1\):\n {2}circular dependency: myapp\.Migration20261125101632 -> /;

async function inCopy(body: (project: Project, elsewhere: string) => Promise<void>): Promise<void> {
  const project = await copyProject('custom-message');
  const elsewhere = mkdtempSync(join(tmpdir(), 'chat-migrate-elsewhere-'));
  try {
    await body(project, elsewhere);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
    await project.remove();
  }
}

function reportsTheCycle(t: import('ava').ExecutionContext, run: Run, what: string): void {
  t.is(run.code, 1, `${what}: ${run.stdout}${run.stderr}`);
  t.regex(run.stdout, CYCLE, what);
}

test('check --config <absolute path> from another folder reads the project\'s folders, cached or not, in either order', async t => {
  await inCopy(async (project, elsewhere) => {
    const config = join(project.dir, 'mikro-orm.config.ts');
    reportsTheCycle(t, await project.chatMigrateWith({ cwd: elsewhere }, 'check', '--config', config), 'first run, from elsewhere (fills the cache)');
    reportsTheCycle(t, await project.chatMigrate('check'), 'then from the project folder (cached)');
    reportsTheCycle(t, await project.chatMigrateWith({ cwd: elsewhere }, 'check', '--config', config), 'from elsewhere again (cached)');
    reportsTheCycle(t, await project.chatMigrateWith({ cwd: elsewhere }, 'check', '--config', config, '--no-cache'), 'from elsewhere with --no-cache');
    const fix = await project.chatMigrateWith({ cwd: elsewhere }, 'fix', '--config', config);
    t.is(fix.code, 0, fix.stdout + fix.stderr);
    t.regex(project.read('migrations/Migration20261125101632.ts'), /\['realtime_chat_messaging', '0001_initial'\]/);
  });
});

test('the cached facts follow an environment variable the config reads its folder from', async t => {
  await inCopy(async project => {
    const config = project.read('mikro-orm.config.ts').replace("migrations: 'migrations'", "migrations: process.env.MYAPP_MIGRATIONS ?? 'migrations'");
    t.regex(config, /MYAPP_MIGRATIONS/);
    writeFileSync(join(project.dir, 'mikro-orm.config.ts'), config);
    reportsTheCycle(t, await project.chatMigrate('check'), 'the default folder');
    const empty = await project.chatMigrateWith({ env: { MYAPP_MIGRATIONS: 'no-such-folder' } }, 'check');
    t.regex(empty.stdout, /myapp: 0/, empty.stdout + empty.stderr);
    reportsTheCycle(t, await project.chatMigrate('check'), 'the default folder again');
  });
});

/** Gives every file under `dir` another modification time, as a fresh checkout does. */
function touchAll(dir: string, when: Date): void {
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(dir, path)).isFile()) utimesSync(join(dir, path), when, when);
  }
}

test('a cache folder copied to another checkout (other paths, other times) answers without loading the config or parsing a file', async t => {
  await inCopy(async project => {
    const cache = { CHAT_MIGRATE_CACHE_DIR: '.chat-migrate-cache' };
    const first = await project.chatMigrateWith({ env: cache }, 'check', '--verbose');
    reportsTheCycle(t, first, 'first run');
    t.regex(first.stderr, /loaded mikro-orm\.config\.ts; read 3 migration files, parsed 3 \(0 with the TypeScript compiler/);
    // The whole checkout, cache folder included, somewhere else, every file with another time.
    const elsewhere = join(ROOT, '.tmp', `checkout-${process.pid}-${Date.now()}`);
    cpSync(dirname(project.dir), elsewhere, { recursive: true });
    try {
      const checkout = join(elsewhere, 'custom-message');
      touchAll(checkout, new Date(Date.now() - 3_600_000));
      const again = await project.chatMigrateWith({ cwd: checkout, env: cache }, 'check', '--verbose');
      reportsTheCycle(t, again, 'the other checkout');
      t.regex(again.stderr, /config facts from the cache; read 3 migration files, parsed 0 /);
      t.is(again.stdout, first.stdout.replaceAll(project.dir, checkout));
      // An edit of the same size is seen by its content.
      const migration = join(checkout, 'migrations', 'Migration20261125101632.ts');
      const text = readFileSync(migration, 'utf8');
      writeFileSync(migration, text.replace('0002_initial', '0001_initial'));
      const edited = await project.chatMigrateWith({ cwd: checkout, env: cache }, 'check', '--verbose');
      t.is(edited.code, 0, edited.stdout + edited.stderr);
      t.regex(edited.stderr, /config facts from the cache; read 3 migration files, parsed 1 /);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

test('facts with an app folder outside the config\'s folder are not taken from a copy of the cache made elsewhere', async t => {
  await inCopy(async project => {
    // The app's migrations beside the project, named by an absolute path.
    const outside = join(dirname(project.dir), 'shared-migrations');
    renameSync(join(project.dir, 'migrations'), outside);
    const config = join(project.dir, 'mikro-orm.config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace("migrations: 'migrations'", `migrations: ${JSON.stringify(outside)}`));
    const cache = { CHAT_MIGRATE_CACHE_DIR: '.chat-migrate-cache' };
    const first = await project.chatMigrateWith({ env: cache }, 'check', '--verbose');
    reportsTheCycle(t, first, 'first run');
    const elsewhere = join(ROOT, '.tmp', `checkout-${process.pid}-${Date.now()}`);
    cpSync(project.dir, join(elsewhere, 'custom-message'), { recursive: true });
    // The sibling fixtures the project imports come along; the migrations stay where the absolute path says.
    for (const sibling of readdirSync(dirname(project.dir))) {
      if (sibling !== 'custom-message' && sibling !== 'shared-migrations') cpSync(join(dirname(project.dir), sibling), join(elsewhere, sibling), { recursive: true });
    }
    try {
      const again = await project.chatMigrateWith({ cwd: join(elsewhere, 'custom-message'), env: cache }, 'check', '--verbose');
      reportsTheCycle(t, again, 'the other checkout');
      t.regex(again.stderr, /loaded mikro-orm\.config\.ts; read 3 migration files/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

test('a cache folder that cannot be one is refused with its name, not a stack trace', async t => {
  await inCopy(async project => {
    writeFileSync(join(project.dir, 'not-a-folder'), '');
    const run = await project.chatMigrateWith({ env: { CHAT_MIGRATE_CACHE_DIR: 'not-a-folder' } }, 'check');
    t.is(run.code, 3, run.stdout + run.stderr);
    t.regex(run.stderr, /CHAT_MIGRATE_CACHE_DIR=not-a-folder: .*not-a-folder cannot be the cache folder \(EEXIST\); name a folder, or unset it/);
    t.notRegex(run.stderr, /\n\s+at /);
  });
});
