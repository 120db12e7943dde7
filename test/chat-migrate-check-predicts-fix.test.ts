/**
 * `check` says exactly what `fix` will do (one planner for both): every cycle with fix's verdict,
 * and the files fix will change; `fix` then changes those files and no other, mending what it
 * said and leaving what it said. Also: a symlinked migration is edited at its target.
 */
import test, { type ExecutionContext } from 'ava';
import { lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { inProjectCopy, type Project, type Run } from './helpers/project.js';

const inCopy = inProjectCopy;

/** The files check predicts fix will change, and the fix run, checked to change exactly those. */
async function fixAsPredicted(t: ExecutionContext, project: Project, check: Run): Promise<Run> {
  const predicted = /chat-migrate fix will change (.*?)(?: and leave \d+ cycles? to break by hand)?\.$/m.exec(check.stdout)?.[1]?.split(', ').sort();
  t.truthy(predicted, check.stdout);
  const before = project.fingerprint();
  const fix = await project.chatMigrate('fix');
  const after = project.fingerprint();
  t.deepEqual(Object.keys(after).filter(file => after[file] !== before[file]).sort(), predicted);
  return fix;
}

test('dependencies written __latest__ and __first__: check says fix mends both cycles, and fix does, then migrate reaches an up-to-date schema', async t => {
  await inCopy('latest-and-first', async project => {
    const check = await project.chatMigrate('check');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /swappable\(Message\)[\s\S]*chat-migrate fix can mend it: it repoints appa\.Migration20261201090000/);
    t.regex(check.stdout, /swappable\(RoomProperty\)[\s\S]*chat-migrate fix can mend it: it repoints appb\.Migration20261201090500/);
    t.regex(check.stdout, /chat-migrate fix will change appa\/migrations\/Migration20261201090000\.ts, appb\/migrations\/Migration20261201090500\.ts\.$/m);
    const fix = await fixAsPredicted(t, project, check);
    t.is(fix.code, 0, fix.stdout + fix.stderr);
    t.regex(fix.stdout, /Repointed appa\.Migration20261201090000 \(appa\/migrations\/Migration20261201090000\.ts:7\) from realtime_chat_messaging\.__latest__ to 0001_initial\./);
    t.regex(project.read('appa/migrations/Migration20261201090000.ts'), /\['realtime_chat_messaging', '0001_initial'\],\n {4}swappable\('User'\)/);
    t.regex(project.read('appb/migrations/Migration20261201090500.ts'), /\['appa', '__first__'\],\n {4}\['realtime_chat_messaging', '0001_initial'\]/);
    const migrate = await project.chatMigrate('migrate');
    t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
    const dump = await project.mikroOrm('schema:update', '--dump');
    t.regex(dump.stdout, /Schema is up-to-date/, dump.stdout + dump.stderr);
  });
});

test('a chained migration of another app that builds SQL at run time: check says fix mends appa and not appb, and fix does just that', async t => {
  await inCopy('chained-dynamic', async project => {
    const check = await project.chatMigrate('check');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /chat-migrate fix can mend it: it repoints appa\.Migration20261201090000 from 0002_initial to 0001_initial\./);
    t.regex(check.stdout, /chat-migrate fix cannot mend it: repointing appb\.Migration20261201085000 to realtime_chat_messaging\.0001_initial is not safe: its up\(\) builds SQL at run time \(appb\/migrations\/Migration20261201085000\.ts:11\)/);
    t.regex(check.stdout, /chat-migrate fix will change appa\/migrations\/Migration20261201090000\.ts and leave 1 cycle to break by hand\.$/m);
    const fix = await fixAsPredicted(t, project, check);
    t.is(fix.code, 1, fix.stdout + fix.stderr);
    t.regex(fix.stdout, /Repointed appa\.Migration20261201090000/);
    t.regex(fix.stdout, /The graph still has problems:\n {2}circular dependency: appb\.Migration20261201085000 -> realtime_chat_messaging\.0002_initial -> swappable\(RoomProperty\)/);
  });
});

test('a genuine cycle beside the swap cycle: check says fix mends the swap cycle and leaves the other, and fix does just that', async t => {
  await inCopy('swap-beside-genuine-cycle', async project => {
    const check = await project.chatMigrate('check');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /circular dependency: appa\.Migration20261201090000 -> realtime_chat_messaging\.0002_initial -> swappable\(Message\)[^\n]*\n(?: {4}.*\n)*? {4}chat-migrate fix can mend it/);
    t.regex(check.stdout, /circular dependency: appa\.Migration20261201090000 -> appb\.Migration20261201090500 -> appa\.Migration20261201090000\n(?: {4}.*\n)*? {4}chat-migrate fix cannot mend it: no custom migration in it depends on realtime_chat_messaging\.0002_initial/);
    t.regex(check.stdout, /chat-migrate fix will change appa\/migrations\/Migration20261201090000\.ts and leave 1 cycle to break by hand\.$/m);
    const fix = await fixAsPredicted(t, project, check);
    t.is(fix.code, 1, fix.stdout + fix.stderr);
    t.regex(fix.stdout, /The graph still has problems:\n {2}circular dependency: appa\.Migration20261201090000 -> appb\.Migration20261201090500 -> appa\.Migration20261201090000/);
  });
});

test('a symlinked migration: fix edits the file it points at, atomically, and the link stays a link', async t => {
  await inCopy('custom-message', async project => {
    const link = join(project.dir, 'migrations', 'Migration20261125101632.ts');
    const target = join(project.dir, 'shared', 'Migration20261125101632.ts');
    mkdirSync(join(project.dir, 'shared'));
    renameSync(link, target);
    symlinkSync('../shared/Migration20261125101632.ts', link);
    const before = readFileSync(target, 'utf8');
    const fix = await project.chatMigrate('fix');
    t.is(fix.code, 0, fix.stdout + fix.stderr);
    t.true(lstatSync(link).isSymbolicLink());
    t.is(readFileSync(target, 'utf8'), before.replace("['realtime_chat_messaging', '0002_initial']", "['realtime_chat_messaging', '0001_initial']"));
    const check = await project.chatMigrate('check');
    t.is(check.code, 0, check.stdout + check.stderr);
  });
});
