/**
 * A compiled application (no TypeScript loader) whose app folder holds only `.ts` migrations is
 * told how to point at the compiled ones, instead of running as if the app had none.
 */
import test from 'ava';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chatOrmConfig, defineChatSettings } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('only TypeScript migrations in a compiled process: refused with the folders to configure', async t => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const baseDir = mkdtempSync(join(ROOT, '.tmp', 'compiled-'));
  mkdirSync(join(baseDir, 'migrations'));
  writeFileSync(join(baseDir, 'migrations', 'Migration20261125101632.ts'), "export class Migration20261125101632 { static readonly app = 'myapp'; }\n");
  const error = await t.throwsAsync(chatOrmConfig(defineChatSettings(), { baseDir, database: {}, apps: { myapp: { migrations: 'migrations' } } }));
  t.regex(error!.message, /app 'myapp': .*migrations holds 1 TypeScript migration and no compiled one, and this process cannot import TypeScript/);
  t.regex(error!.message, /path: 'dist\/migrations', pathTs: 'migrations'/);
});
