/**
 * chat-migrate reads a TypeScript project with the package's own compiler, so it works whatever
 * TypeScript the project installed: here TypeScript 7, which has no JavaScript API (what
 * `npm install -D typescript` gives today) and on which ts-node crashes.
 */
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from './helpers/project.js';

/** Installs, in the project, a `typescript` package that behaves as TypeScript 7 does when a tool asks for its JavaScript API. */
function installTypeScript7(dir: string): void {
  const pkg = join(dir, 'node_modules', 'typescript');
  mkdirSync(join(pkg, 'lib'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'typescript', version: '7.0.2', main: 'lib/typescript.js' }));
  writeFileSync(join(pkg, 'lib', 'typescript.js'), "throw new Error('TypeScript 7 has no JavaScript API');\n");
}

test('check, fix and migrate work in a project that installed TypeScript 7', async t => {
  const project = await copyProject('custom-message');
  try {
    installTypeScript7(project.dir);
    const check = await project.chatMigrate('check', '--no-cache');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /swappable\(Message\)|MESSAGE|Message/);
    t.notRegex(check.stderr, /ts-node|JavaScript API/);
    t.is((await project.chatMigrate('fix')).code, 0);
    const migrate = await project.chatMigrate('migrate');
    t.is(migrate.code, 0, migrate.stdout + migrate.stderr);
  } finally {
    await project.remove();
  }
});
