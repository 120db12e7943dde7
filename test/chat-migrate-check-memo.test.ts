/**
 * `check` on a project unchanged since its last check repeats that check's report from the cache;
 * any change to what the report was computed from (a migration file edited, added or removed, the
 * config's facts) is a full check again, and a report is never remembered while a file could
 * still change without its time telling.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDigest, rememberedReport, rememberReport } from '../src/migrations/cli/check-memo.js';
import type { ProjectFiles } from '../src/migrations/cli/project-files.js';
import { inProjectCopy } from './helpers/project.js';

const CACHE = { CHAT_MIGRATE_CACHE_DIR: '.chat-migrate-cache' };
const MIGRATION = join('migrations', 'Migration20261125101632.ts');

test('an unchanged project gets its last report again; an edited, added or removed migration is checked anew', async t => {
  await inProjectCopy('custom-message', async project => {
    const check = () => project.chatMigrateWith({ env: CACHE }, 'check');
    const memo = join(project.dir, '.chat-migrate-cache', 'check.json');
    const first = await check();
    t.is(first.code, 1, first.stdout + first.stderr);
    t.regex(first.stdout, /^1 problem found \(realtime_chat_messaging: 2, myapp: 1\):\n {2}circular dependency: /);
    t.true(existsSync(memo), 'the report is remembered');
    const again = await check();
    t.deepEqual(again, first);

    // What is printed comes from the remembered report: a marker put in it is printed.
    const remembered = JSON.parse(readFileSync(memo, 'utf8')) as { lines: [boolean, string][] };
    remembered.lines = [[false, 'remembered report']];
    writeFileSync(memo, JSON.stringify(remembered));
    t.is((await check()).stdout, 'remembered report\n');

    // An edit (same size): the cycle is gone.
    const file = join(project.dir, MIGRATION);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('0002_initial', '0001_initial'));
    const edited = await check();
    t.is(edited.code, 0, edited.stdout + edited.stderr);
    t.regex(edited.stdout, /^No problems: 3 migrations \(realtime_chat_messaging: 2, myapp: 1\)\.$/m);

    // A file added beside it, then removed.
    const added = join(project.dir, 'migrations', 'Migration20261126090000.ts');
    writeFileSync(added, 'export class Migration20261126090000 {');
    const withBroken = await check();
    t.is(withBroken.code, 1, withBroken.stdout + withBroken.stderr);
    t.regex(withBroken.stdout, /Migration20261126090000\.ts:1:\d+/);
    unlinkSync(added);
    const removed = await check();
    t.is(removed.code, 0, removed.stdout + removed.stderr);
    t.is(removed.stdout, edited.stdout);

    // --verbose and --no-cache check in full.
    const verbose = await project.chatMigrateWith({ env: CACHE }, 'check', '--verbose');
    t.regex(verbose.stderr, /config facts from the cache; read 3 migration files/);
    t.is(verbose.stdout, edited.stdout);
    writeFileSync(memo, JSON.stringify({ ...(JSON.parse(readFileSync(memo, 'utf8')) as object), lines: [[false, 'remembered report']] }));
    t.is((await project.chatMigrateWith({ env: CACHE }, 'check', '--no-cache')).stdout, edited.stdout);
  });
});

test('a report is remembered only when every file was last changed before the clock could have moved on', t => {
  const dir = mkdtempSync(join(tmpdir(), 'check-memo-'));
  try {
    const file = join(dir, 'Migration1.ts');
    writeFileSync(file, 'export class Migration1 {}');
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    const { size, mtimeMs } = statSync(file);
    const project = (listedAt: number): ProjectFiles => ({
      facts: { root: dir, configFile: join(dir, 'mikro-orm.config.ts'), apps: [{ label: 'myapp', dir }], swaps: {}, firstMigrationTables: [], secondMigrationNames: [] },
      factsFromCache: true,
      cacheDir: dir,
      missing: new Set(),
      listing: [{ app: 'myapp', file, key: 'Migration1.ts', size, mtimeMs }],
      listedAt,
    });
    const report = { code: 0, lines: [[false, 'No problems'] as const] };
    // Listed in the same instant the file was written: another write in that tick would keep its time.
    const racy = project(mtimeMs + 1);
    rememberReport(racy, checkDigest(racy), report);
    t.is(rememberedReport(dir, checkDigest(racy)), undefined);
    // A time in whole seconds (a file system that keeps no finer ones) must be two seconds old.
    const wholeSecond = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(file, wholeSecond, wholeSecond);
    const coarse = (listedAt: number): ProjectFiles => ({ ...project(listedAt), listing: [{ ...project(listedAt).listing[0]!, mtimeMs: wholeSecond.getTime() }] });
    rememberReport(coarse(wholeSecond.getTime() + 500), checkDigest(coarse(0)), report);
    t.is(rememberedReport(dir, checkDigest(coarse(0))), undefined, 'half a second after a whole-second time');
    rememberReport(coarse(wholeSecond.getTime() + 2500), checkDigest(coarse(0)), report);
    t.deepEqual(rememberedReport(dir, checkDigest(coarse(0)))?.lines, report.lines);
    const settled = project(mtimeMs + 10_000);
    rememberReport(settled, checkDigest(settled), report);
    t.deepEqual(rememberedReport(dir, checkDigest(settled))?.lines, report.lines);
    // Another time, size or file is another digest.
    t.not(checkDigest({ ...settled, listing: [{ ...settled.listing[0]!, mtimeMs: mtimeMs + 1 }] }), checkDigest(settled));
    t.not(checkDigest({ ...settled, listing: [{ ...settled.listing[0]!, size: size + 1 }] }), checkDigest(settled));
    t.not(checkDigest({ ...settled, listing: [] }), checkDigest(settled));
    t.not(checkDigest({ ...settled, missing: new Set(['myapp']) }), checkDigest(settled));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
