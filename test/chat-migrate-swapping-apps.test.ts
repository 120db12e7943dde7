/**
 * Several apps each swapping a model the package's 0002_initial depends on, their migrations
 * created in either order: `migration:create` is never blocked by the cycles, `check` names each
 * swapped setting and the files `fix` will change, `fix` mends them all, and the migrated schema
 * is what MikroORM expects.
 */
import test, { type ExecutionContext } from 'ava';
import { inProjectCopy, type Project, type Run } from './helpers/project.js';

function succeeded(t: ExecutionContext, run: Run): void {
  t.is(run.code, 0, run.stdout + run.stderr);
}

/** `npx mikro-orm-esm migration:create` in an app's folder; the file it wrote. */
async function create(t: ExecutionContext, project: Project, app: string, ...flags: string[]): Promise<string> {
  const run = await project.mikroOrm('migration:create', '--path', `${app}/migrations`, ...flags);
  succeeded(t, run);
  return `${app}/migrations/${/(Migration\d+)\.ts successfully created/.exec(run.stdout)?.[1]}.ts`;
}

/** check (each swapped setting named, the files fix will change listed), fix (exactly those), check, migrate, MikroORM's schema diff. */
async function mendAndMigrate(t: ExecutionContext, project: Project, tokens: string[]): Promise<void> {
  const check = await project.chatMigrate('check');
  t.is(check.code, 1, check.stdout + check.stderr);
  for (const token of tokens) t.regex(check.stdout, new RegExp(`-> realtime_chat_messaging\\.0002_initial -> swappable\\(${token}\\) = `));
  t.notRegex(check.stdout, /fix cannot mend/);
  const predicted = /chat-migrate fix will change (.*)\.$/m.exec(check.stdout)?.[1]?.split(', ').sort();
  t.truthy(predicted, check.stdout);
  const before = project.fingerprint();
  const fix = await project.chatMigrate('fix');
  succeeded(t, fix);
  t.regex(fix.stdout, /The migration graph is consistent/);
  const after = project.fingerprint();
  t.deepEqual(Object.keys(after).filter(file => after[file] !== before[file]).sort(), predicted);
  succeeded(t, await project.chatMigrate('check'));
  succeeded(t, await project.chatMigrate('migrate'));
  const dump = await project.mikroOrm('schema:update', '--dump');
  succeeded(t, dump);
  t.regex(dump.stdout, /Schema is up-to-date/);
}

const inCopy = inProjectCopy;

test.serial('two apps, appa (Message) created first: appb (RoomProperty) is created through appa\'s cycle, blank too, and both cycles are mended', async t => {
  await inCopy('swapping-apps', async project => {
    await create(t, project, 'appa');
    await create(t, project, 'appb');
    await create(t, project, 'appb', '--blank');
    await mendAndMigrate(t, project, ['Message', 'RoomProperty']);
  });
});

test.serial('two apps, appb (RoomProperty, chained to appa) created first: appa is created through appb\'s cycle, and both are mended', async t => {
  await inCopy('swapping-apps', async project => {
    await create(t, project, 'appb');
    await create(t, project, 'appa');
    await mendAndMigrate(t, project, ['Message', 'RoomProperty']);
  });
});

test.serial('fix mends appa\'s cycle while appb has no migration yet, and says appb still needs one', async t => {
  await inCopy('swapping-apps', async project => {
    const appa = await create(t, project, 'appa');
    const before = project.read(appa);
    const fix = await project.chatMigrate('fix');
    t.is(fix.code, 1, fix.stdout + fix.stderr);
    t.regex(fix.stdout, /Repointed appa\.Migration\d+ \(appa\/migrations\/Migration\d+\.ts:\d+\) from realtime_chat_messaging\.0002_initial to 0001_initial/);
    t.regex(fix.stdout, /The graph still has problems:\n.*swappable\(RoomProperty\) = appb\.ThemedRoomProperty, but app 'appb' has no migrations yet \(its folder appb\/migrations does not exist\): create them with npx mikro-orm-esm migration:create --path appb\/migrations/);
    t.is(project.read(appa), before.replace("'0002_initial'", "'0001_initial'"));
    await create(t, project, 'appb');
    await mendAndMigrate(t, project, ['RoomProperty']);
  });
});

for (const order of [
  ['appa', 'appb', 'appc'],
  ['appc', 'appb', 'appa'],
]) {
  test.serial(`three apps (Message, RoomProperty, User) created in the order ${order.join(', ')} are all mended`, async t => {
    await inCopy('three-swapping-apps', async project => {
      for (const app of order) await create(t, project, app);
      await mendAndMigrate(t, project, ['Message', 'RoomProperty']);
    });
  });
}
