/**
 * A TypeScript config and the local files it imports are transpiled ahead, on a worker, while the
 * main thread loads the package; the module hooks serve that JavaScript and load the compiler
 * only for a file the worker could not foresee (or one that changed since).
 */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { compilerOptionsOf, transpile, transpileLocalGraph, tsconfigOf } from '../src/migrations/transpile.js';
import { inProjectCopy, ROOT } from './helpers/project.js';

const FIXTURE = join(ROOT, 'fixtures', 'custom-message');

test('the config and every local file it imports are transpiled, each as the hooks would, and nothing of node_modules', t => {
  const config = join(FIXTURE, 'mikro-orm.config.ts');
  const options = compilerOptionsOf(ts, tsconfigOf(config));
  const files = transpileLocalGraph(ts, config, options);
  t.deepEqual(files.map(file => relative(FIXTURE, file.file)).sort(), ['mikro-orm.config.ts', 'models.ts', 'serializers.ts', 'settings.ts']);
  for (const file of files) {
    t.is(file.source, readFileSync(file.file, 'utf8'));
    t.deepEqual({ output: file.output }, transpile(ts, file.file, file.source, options));
  }
  // The project's options hold: decorators with their metadata.
  const models = files.find(file => file.file.endsWith('models.ts'))!;
  t.regex(models.output, /__metadata\("design:type"/);
});

test('re-exports and imports of a literal are followed; a file with errors and a JavaScript file are left to the import', t =>
  inProjectCopy('custom-message', async project => {
    const config = join(project.dir, 'mikro-orm.config.ts');
    writeFileSync(join(project.dir, 'reexport.ts'), "export * from './later.js';\n");
    writeFileSync(join(project.dir, 'later.ts'), "export const later = await import('./broken.js');\n");
    writeFileSync(join(project.dir, 'broken.ts'), 'export const = ;\n');
    writeFileSync(join(project.dir, 'plain.js'), 'export const plain = 1;\n');
    writeFileSync(config, `import './reexport.js';\nimport './plain.js';\n${readFileSync(config, 'utf8')}`);
    const files = transpileLocalGraph(ts, config, compilerOptionsOf(ts, tsconfigOf(config)));
    t.deepEqual(files.map(file => relative(project.dir, file.file)).sort(), ['later.ts', 'mikro-orm.config.ts', 'models.ts', 'reexport.ts', 'serializers.ts', 'settings.ts']);
  }),
);

test('a local file no worker could foresee is transpiled by the hooks, and its syntax errors are reported as TypeScript writes them', t =>
  inProjectCopy('custom-message', async project => {
    const config = join(project.dir, 'mikro-orm.config.ts');
    const original = readFileSync(config, 'utf8');
    // A computed specifier: only the import itself finds the file.
    writeFileSync(join(project.dir, 'hidden.ts'), 'export const hidden: number = 1;\n');
    writeFileSync(config, `const { hidden } = (await import('./hid' + 'den.js')) as { hidden: number };\nif (hidden !== 1) throw new Error('not loaded');\n${original}`);
    const check = await project.chatMigrate('check', '--no-cache');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /swappable\(Message\)/);
    writeFileSync(join(project.dir, 'hidden.ts'), 'export const hidden: number = ;\n');
    const broken = await project.chatMigrate('check', '--no-cache');
    t.is(broken.code, 3, broken.stdout + broken.stderr);
    t.regex(broken.stderr, /hidden\.ts\(1,\d+\): error TS\d+: Expression expected/);
  }),
);
