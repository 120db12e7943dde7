/**
 * One rule for which files of a migrations folder are migrations, shared by `chat-migrate`'s scanner,
 * the migrator that imports them and the stale-compiled check (they once disagreed on `.cts`/`.cjs`
 * and on dotfiles, so `check` and the running app could see different graphs).
 */
import test from 'ava';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { listMigrationFiles, runnableMigrationFiles } from '../src/migrations/migration-files.js';

function folderWith(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'migration-files-'));
  for (const name of names) writeFileSync(join(dir, name), '');
  mkdirSync(join(dir, 'nested.ts'));
  return dir;
}

const names = (files: string[]) => files.map(file => basename(file));

test('modules of every kind are migrations; declarations, maps, snapshots and dotfiles are not', t => {
  const dir = folderWith([
    'Migration2.ts', 'Migration1.js', 'Migration3.mts', 'Migration4.cts', 'Migration5.mjs', 'Migration6.cjs',
    'Migration1.d.ts', 'Migration3.d.mts', 'Migration4.d.cts', 'Migration1.js.map', '.snapshot-myapp.json', '._Migration1.js', '.hidden.ts',
  ]);
  try {
    t.deepEqual(names(listMigrationFiles(dir)), ['Migration1.js', 'Migration2.ts', 'Migration3.mts', 'Migration4.cts', 'Migration5.mjs', 'Migration6.cjs']);
    t.deepEqual(names(runnableMigrationFiles(dir, true)), names(listMigrationFiles(dir)));
    t.deepEqual(names(runnableMigrationFiles(dir, false)), ['Migration1.js', 'Migration5.mjs', 'Migration6.cjs']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing folder has no migrations', t => {
  t.deepEqual(listMigrationFiles(join(tmpdir(), 'no-such-migrations-folder-here')), []);
});

test('a link to a migration file is one; a dangling link is not', t => {
  const dir = folderWith(['target.txt']);
  try {
    writeFileSync(join(dir, 'real.ts'), '');
    symlinkSync(join(dir, 'real.ts'), join(dir, 'Migration1.ts'));
    symlinkSync(join(dir, 'gone.ts'), join(dir, 'Migration2.ts'));
    t.deepEqual(names(listMigrationFiles(dir)), ['Migration1.ts', 'real.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
