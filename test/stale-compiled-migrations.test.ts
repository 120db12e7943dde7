/**
 * An app that runs compiled migrations (`{ path: 'dist/migrations', pathTs: 'migrations' }`) and
 * was built before `chat-migrate fix`: the compiled module still depends on 0002_initial, so the
 * app sees the cycle that `check`, reading the fixed source, no longer finds. The app's error must
 * name the stale build, not send the user to `check`.
 */
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, ChatError } from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings } from '../fixtures/custom-message/settings.js';
import { copyProject, type Project } from './helpers/project.js';

const MIGRATION = 'Migration20261125101632';

/** What `tsc` would write for the app's migration, as its source reads now. */
function compileMigration(project: Project, outDir = 'dist'): void {
  const source = project.read(`migrations/${MIGRATION}.ts`);
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }, fileName: `${MIGRATION}.ts` });
  mkdirSync(join(project.dir, outDir, 'migrations'), { recursive: true });
  writeFileSync(join(project.dir, outDir, 'migrations', `${MIGRATION}.js`), outputText);
}

/** The app's ORM as its compiled server builds it: compiled migrations in dist/, sources beside. */
async function compiledApp(project: Project, outDir = 'dist'): Promise<MikroORM> {
  return MikroORM.init(
    await chatOrmConfig(settings, {
      baseDir: project.dir,
      database: project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR },
      apps: { myapp: { migrations: { path: `${outDir}/migrations`, pathTs: 'migrations' }, entities: [CustomMessage] } },
      migrations: { silent: true },
    }),
  );
}

test.serial('migrations compiled before chat-migrate fix: the app names the stale build and the rebuild, while check finds nothing', async t => {
  const project = await copyProject('custom-message');
  try {
    compileMigration(project); // the build, before the fix
    t.is((await project.chatMigrate('fix')).code, 0);
    t.regex(readFileSync(join(project.dir, 'migrations', `${MIGRATION}.ts`), 'utf8'), /'0001_initial'/);
    const check = await project.chatMigrate('check');
    t.is(check.code, 0, check.stdout + check.stderr);
    t.regex(check.stdout, /^No problems/);

    const orm = await compiledApp(project);
    try {
      const error = await t.throwsAsync(() => orm.getMigrator().up(), { instanceOf: ChatError });
      t.is((error as ChatError).code, 'stale_compiled_migrations');
      t.regex(error!.message, /the compiled migrations are stale/);
      t.regex(error!.message, /app 'myapp': the compiled migrations in dist\/migrations do not match their sources in migrations:/);
      t.regex(error!.message, new RegExp(`${MIGRATION} depends on realtime_chat_messaging\\.0002_initial, swappable\\(User\\) compiled, on realtime_chat_messaging\\.0001_initial, swappable\\(User\\) in its source`));
      t.regex(error!.message, /Rebuild \(npm run build, or tsc\)/);
      t.regex(error!.message, /circular dependency: myapp\.Migration20261125101632 -> realtime_chat_messaging\.0002_initial/, 'the problem it causes is still shown');
    } finally {
      await orm.close(true);
    }

    // The rebuild (into a fresh folder: this process keeps the modules it imported once).
    compileMigration(project, 'rebuilt');
    const rebuilt = await compiledApp(project, 'rebuilt');
    try {
      await rebuilt.getMigrator().up();
      const applied = await rebuilt.em.fork().getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
      t.deepEqual(
        (applied as { name: string }[]).map(r => r.name),
        ['realtime_chat_messaging.0001_initial', `myapp.${MIGRATION}`, 'realtime_chat_messaging.0002_initial'],
      );
    } finally {
      await rebuilt.close(true);
    }
  } finally {
    await project.remove();
  }
});

test.serial('a migration with a source and no compiled module is named too, when the graph breaks', async t => {
  const project = await copyProject('custom-message');
  try {
    // Nothing compiled at all: the swapped Message's app has no first migration in dist/.
    mkdirSync(join(project.dir, 'dist', 'migrations'), { recursive: true });
    const orm = await compiledApp(project);
    try {
      const error = await t.throwsAsync(() => orm.getMigrator().up(), { instanceOf: ChatError });
      t.is((error as ChatError).code, 'stale_compiled_migrations');
      t.regex(error!.message, new RegExp(`${MIGRATION} has a source and no compiled module`));
    } finally {
      await orm.close(true);
    }
  } finally {
    await project.remove();
  }
});
