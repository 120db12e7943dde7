/**
 * The package's two entries: the main one, which serving chat or reading its settings loads, and
 * `realtime-chat-messaging/migrator`, which only a process that runs or writes migrations needs.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { Migrator, TSMigrationGenerator } from '@mikro-orm/migrations';
import { chatOrmConfig, defineChatSettings } from 'realtime-chat-messaging';
import { ChatMigrationGenerator, ChatMigrator } from 'realtime-chat-messaging/migrator';
import { ROOT } from './helpers/project.js';

/** The CommonJS modules a fresh process has loaded after running `code` (an ES module). */
function modulesLoadedBy(code: string): string[] {
  const script = `${code}\nconst { createRequire } = await import('node:module');\nconsole.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

test("importing the main entry does not load MikroORM's migrations package", t => {
  const loaded = modulesLoadedBy("await import('realtime-chat-messaging');");
  t.true(loaded.some(file => file.includes('/@mikro-orm/core/')), 'the probe sees the CommonJS modules the entry loads');
  t.false(loaded.some(file => file.includes('/@mikro-orm/migrations/')));
  t.false(loaded.some(file => file.includes('/umzug/')));
});

test('the migrator entry exports the migrator and generator that chatOrmConfig registers', async t => {
  t.true(ChatMigrator.prototype instanceof Migrator);
  t.true(ChatMigrationGenerator.prototype instanceof TSMigrationGenerator);
  const options = await chatOrmConfig(defineChatSettings(), { database: { dataDir: 'memory://' } });
  t.true(options.extensions?.includes(ChatMigrator));
  t.is(options.migrations?.generator, ChatMigrationGenerator);
});
