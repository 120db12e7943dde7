/**
 * The package's own migrations ship their declarations (written at build time), so a first run
 * of chat-migrate never loads the TypeScript compiler for them; a file that no longer has the text
 * they were written from is read again.
 */
import test from 'ava';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { listMigrationFiles } from '../src/migrations/migration-files.js';
import { parseMigration } from '../src/migrations/parse.js';
import { PACKAGE_MIGRATIONS_DIR } from '../src/migrations/paths.js';
import { shipDeclarations, shippedDeclarations } from '../src/migrations/shipped-declarations.js';

test("the built package ships the declarations of its migrations, equal to what the compiler's parser reads", t => {
  const shipped = shippedDeclarations(PACKAGE_MIGRATIONS_DIR);
  t.truthy(shipped, 'npm run build writes declarations.json beside the compiled migrations');
  const files = listMigrationFiles(PACKAGE_MIGRATIONS_DIR);
  t.is(files.length, 2);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    t.deepEqual(shipped!(file, text), parseMigration(ts, file, text), file);
  }
});

test('a file whose text changed since the declarations were written is not answered for', t => {
  const dir = mkdtempSync(join(tmpdir(), 'shipped-'));
  try {
    cpSync(PACKAGE_MIGRATIONS_DIR, dir, { recursive: true });
    const files = listMigrationFiles(dir);
    shipDeclarations(dir, files, (file, text) => parseMigration(ts, file, text));
    const [first] = files;
    t.truthy(shippedDeclarations(dir)!(first!, readFileSync(first!, 'utf8')));
    writeFileSync(first!, `${readFileSync(first!, 'utf8')}\n// edited\n`);
    t.is(shippedDeclarations(dir)!(first!, readFileSync(first!, 'utf8')), undefined);
    t.is(shippedDeclarations(join(dir, 'elsewhere')), undefined, 'no declarations file: nothing answers');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
