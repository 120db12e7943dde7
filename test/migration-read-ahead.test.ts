/**
 * Migration files read on a worker thread, ahead of their parsing, come out exactly as when read
 * in place: the same declarations in the same order, the same cache, the same errors.
 */
import test from 'ava';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectFacts } from '../src/migrations/project.js';
import { FilesReadAhead } from '../src/migrations/read-ahead.js';
import { scanMigrations, type ScanStats } from '../src/migrations/scan.js';
import { ROOT } from './helpers/project.js';

/** A copy of a fixture's apps with many more migrations (each app's files copied under new names). */
function project(t: import('ava').ExecutionContext): ProjectFacts {
  const root = mkdtempSync(join(tmpdir(), 'read-ahead-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const apps = ['messaging', 'receipts'].map(label => {
    const dir = join(root, label, 'migrations');
    cpSync(join(ROOT, 'fixtures', 'several-swapped', label, 'migrations'), dir, { recursive: true });
    return { label, dir };
  });
  // More files than one message of the worker holds, some empty, one the quick reader leaves to the compiler.
  for (let i = 0; i < 150; i++) writeFileSync(join(apps[0]!.dir, `Migration2026120${String(i).padStart(7, '0')}.ts`), i % 50 === 7 ? '' : readFileSync(join(ROOT, 'fixtures', 'several-swapped', 'messaging', 'migrations', 'Migration20261125101637.ts'), 'utf8').replace('Migration20261125101637', `Migration2026120${String(i).padStart(7, '0')}`));
  return { root, configFile: join(root, 'mikro-orm.config.ts'), apps, swaps: {}, firstMigrationTables: [], secondMigrationNames: [] };
}

const stats = (): ScanStats => ({ files: 0, parsed: 0, compiled: 0 });

test('a worker reads the files ahead: the same declarations, order and cache as reading in place', async t => {
  const facts = project(t);
  const [inPlaceCache, aheadCache] = [join(facts.root, 'in-place.json'), join(facts.root, 'ahead.json')];
  const [inPlaceStats, aheadStats] = [stats(), stats()];
  const inPlace = await scanMigrations(facts, inPlaceCache, inPlaceStats, { readAheadFrom: Infinity });
  const ahead = await scanMigrations(facts, aheadCache, aheadStats, { readAheadFrom: 0 });
  t.is(ahead.length, 152);
  t.deepEqual(ahead, inPlace);
  t.deepEqual(aheadStats, inPlaceStats);
  t.deepEqual(JSON.parse(readFileSync(aheadCache, 'utf8')), JSON.parse(readFileSync(inPlaceCache, 'utf8')));
  // Without the cache too.
  t.deepEqual(await scanMigrations(facts, undefined, stats(), { readAheadFrom: 0 }), inPlace);
  // And what the cache then answers is the same.
  const again = stats();
  t.deepEqual(await scanMigrations(facts, aheadCache, again, { readAheadFrom: 0 }), inPlace);
  t.is(again.parsed, 0);
});

test('a file that cannot be read fails the read ahead as it fails a read in place', async t => {
  const facts = project(t);
  const missing = join(facts.apps[0]!.dir, 'gone.ts');
  const files = [join(facts.apps[1]!.dir, 'Migration20261125101634.ts'), missing];
  for (const readAheadFrom of [0, Infinity]) {
    const reader = new FilesReadAhead(files, true, readAheadFrom);
    const first = await reader.next();
    t.true(first.bytes.toString('utf8').includes('Migration20261125101634'));
    t.is(first.sha1.length, 40);
    const error = await t.throwsAsync(() => reader.next());
    t.regex(error!.message, /ENOENT/);
    t.is((error as NodeJS.ErrnoException).code, 'ENOENT');
    await reader.close();
  }
});
