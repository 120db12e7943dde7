import test from 'ava';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inProjectCopy } from './helpers/project.js';

/** Runs a command in a copy of a fixture and checks that no file of the project changed. */
const inCopy = inProjectCopy;

test('a migration with a syntax error is reported with file, line and column; fix changes nothing', async t => {
  await inCopy('broken-syntax', async project => {
    const before = project.fingerprint();
    const check = await project.chatMigrate('check');
    t.is(check.code, 1);
    t.regex(check.stdout, /migrations\/Migration20261125101632\.ts:9:6: cannot read this migration: syntax error: ',' expected\./);
    t.regex(check.stdout, /app 'myapp' has no migration the tool can read: migrations\/Migration20261125101632\.ts is left out .*fix that file rather than create another/);
    t.notRegex(check.stdout, /migration:create/, 'creating a migration is not the cure');
    const fix = await project.chatMigrate('fix');
    t.is(fix.code, 1);
    t.regex(fix.stdout, /fix needs a graph whose only problems are cycles/);
    t.deepEqual(project.fingerprint(), before);
  });
});

test('a dependency on a missing migration is reported where it is declared', async t => {
  await inCopy('missing-dependency', async project => {
    const before = project.fingerprint();
    const check = await project.chatMigrate('check');
    t.is(check.code, 1);
    t.regex(check.stdout, /migrations\/Migration20261125120000\.ts:7: myapp\.Migration20261125120000 depends on \('myapp', 'Migration20261124000000'\), which does not exist\. Did you mean 'Migration20261125101632'\?/);
    t.is((await project.chatMigrate('fix')).code, 1);
    const migrate = await project.chatMigrate('migrate');
    t.is(migrate.code, 1);
    t.regex(migrate.stdout, /Refusing: the migration graph has 1 problem; nothing was applied/);
    t.deepEqual(project.fingerprint(), before);
  });
});

test('a real cycle between two apps is reported as one that no repoint can break', async t => {
  await inCopy('two-app-cycle', async project => {
    const before = project.fingerprint();
    const check = await project.chatMigrate('check');
    t.is(check.code, 1);
    t.regex(check.stdout, /circular dependency: alpha\.Migration20261125110000 -> beta\.Migration20261125110500 -> alpha\.Migration20261125110000/);
    t.regex(check.stdout, /chat-migrate fix cannot mend it: no custom migration in it depends on realtime_chat_messaging\.0002_initial/);
    const fix = await project.chatMigrate('fix');
    t.is(fix.code, 1);
    t.regex(fix.stdout, /Cannot fix safely; nothing was changed/);
    t.deepEqual(project.fingerprint(), before);
  });
});

test('an unknown app label is named, with the labels the config declares', async t => {
  await inCopy('unknown-app', async project => {
    const before = project.fingerprint();
    const check = await project.chatMigrate('check');
    t.is(check.code, 1);
    t.regex(check.stdout, /migrations\/Migration20261125101632\.ts:5: unknown app label 'my_app': the config declares 'realtime_chat_messaging', 'myapp'/);
    t.regex(check.stdout, /app 'myapp' has no migration the tool can read: migrations\/Migration20261125101632\.ts is left out/);
    t.notRegex(check.stdout, /migration:create/, 'creating a migration is not the cure');
    t.is((await project.chatMigrate('fix')).code, 1);
    t.deepEqual(project.fingerprint(), before);
  });
});

test('an app whose migrations folder is not there is named with the folder, and told both ways out', async t => {
  await inCopy('custom-message', async project => {
    renameSync(join(project.dir, 'migrations'), join(project.dir, 'migrations-moved'));
    const check = await project.chatMigrate('check');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /app 'myapp' has no migrations yet \(its folder migrations does not exist\): create them with npx mikro-orm-esm migration:create --path migrations, or if they are elsewhere, fix apps\.myapp\.migrations in chatOrmConfig/);
  });
});

test('a dependency on an undeclared app, and on a missing migration of an app with no other, say what is wrong', async t => {
  await inCopy('custom-message', async project => {
    const file = join(project.dir, 'migrations', 'Migration20261125101632.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("swappable('User'),", "swappable('User'),\n    ['my_app', 'Migration20261125101632'],\n    ['myapp', 'Migration2026112510163'],"));
    const check = await project.chatMigrate('check');
    t.is(check.code, 1, check.stdout + check.stderr);
    t.regex(check.stdout, /depends on \('my_app', 'Migration20261125101632'\), which does not exist\. No app 'my_app' is declared \(apps: realtime_chat_messaging, myapp\)\. Did you mean 'myapp'\?/);
    t.regex(check.stdout, /depends on \('myapp', 'Migration2026112510163'\), which does not exist\. App 'myapp' has no other migration: fix the name, or remove the dependency\./);
  });
});

test('fix refuses a read-only migration file and writes nothing', async t => {
  await inCopy('custom-message', async project => {
    const file = join(project.dir, 'migrations', 'Migration20261125101632.ts');
    chmodSync(file, 0o444);
    const before = project.fingerprint();
    const fix = await project.chatMigrate('fix');
    t.is(fix.code, 4);
    t.regex(fix.stderr, /cannot write .*Migration20261125101632\.ts \(read-only\): nothing was changed/);
    t.deepEqual(project.fingerprint(), before);
    chmodSync(file, 0o644);
  });
});

test('the command line explains itself and refuses what it does not know', async t => {
  await inCopy('custom-message', async project => {
    const help = await project.chatMigrate('--help');
    t.is(help.code, 0);
    t.regex(help.stdout, /^Usage: chat-migrate <command> \[options\]/);
    for (const command of ['check', 'fix', 'graph', 'plan', 'migrate']) {
      const commandHelp = await project.chatMigrate(command, '--help');
      t.is(commandHelp.code, 0);
      t.regex(commandHelp.stdout, new RegExp(`^Usage: chat-migrate ${command} \\[options\\]`));
      t.regex(commandHelp.stdout, /Exit codes: 0 done/);
    }
    const none = await project.chatMigrate();
    t.is(none.code, 2);
    const unknown = await project.chatMigrate('repair');
    t.is(unknown.code, 2);
    t.regex(unknown.stderr, /unknown command 'repair' \(commands: check, fix, merge, graph, plan, migrate, swap\)\.\n/);
    const typo = await project.chatMigrate('chek');
    t.is(typo.code, 2);
    t.regex(typo.stderr, /unknown command 'chek' \(commands: [^)]*\)\. Did you mean 'check'\?/);
    const misspelt = await project.chatMigrate('fix', '--dry-rn');
    t.is(misspelt.code, 2);
    t.regex(misspelt.stderr, /unknown option --dry-rn\. Did you mean '--dry-run'\?/);
    const badOption = await project.chatMigrate('check', '--dry-run');
    t.is(badOption.code, 2);
    t.regex(badOption.stderr, /check does not take --dry-run/);
    const badFormat = await project.chatMigrate('graph', '--format', 'svg');
    t.is(badFormat.code, 2);
    t.regex(badFormat.stderr, /--format takes text or dot, not 'svg'/);
    const noConfig = await project.chatMigrate('check', '--config', 'nope.config.ts');
    t.is(noConfig.code, 3);
    t.regex(noConfig.stderr, /--config nope\.config\.ts: no such file/);
  });
});

test('a config that is not the package helper is a configuration error', async t => {
  await inCopy('custom-message', async project => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(project.dir, 'plain.config.ts'), "export default { dbName: 'x' };\n");
    const result = await project.chatMigrate('check', '--config', 'plain.config.ts', '--no-cache');
    t.is(result.code, 3);
    t.regex(result.stderr, /does not export options built by chatOrmConfig\(\)/);
  });
});

test('a config with a syntax error is a configuration error naming the file, line and column', async t => {
  await inCopy('custom-message', async project => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(project.dir, 'broken.config.ts'), "import { chatOrmConfig } from 'realtime-chat-messaging';\nexport default chatOrmConfig({ models: { );\n");
    const result = await project.chatMigrate('check', '--config', 'broken.config.ts', '--no-cache');
    t.is(result.code, 3);
    t.regex(result.stderr, /Cannot load .*broken\.config\.ts: .*broken\.config\.ts\(2,\d+\): error TS\d+/);
  });
});

test('plan and migrate on an in-memory database say that nothing they do outlives the command', async t => {
  await inCopy('custom-message', async project => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(project.dir, 'memory.config.ts'),
      [
        "import { chatOrmConfig } from 'realtime-chat-messaging';",
        "import { CustomMessage } from './models.js';",
        "import { settings } from './settings.js';",
        "export default chatOrmConfig(settings, { database: {}, apps: { myapp: { migrations: 'migrations', entities: [CustomMessage] } } });",
        '',
      ].join('\n'),
    );
    t.is((await project.chatMigrate('fix')).code, 0);
    const migrate = await project.chatMigrate('migrate', '--config', 'memory.config.ts');
    t.is(migrate.code, 0, migrate.stderr);
    t.regex(migrate.stdout, /migrations applied\./);
    t.regex(migrate.stderr, /in-memory PGlite .* gone when this command ends/);
    const plan = await project.chatMigrate('plan', '--config', 'memory.config.ts');
    t.regex(plan.stderr, /in-memory PGlite/);
    t.notRegex(plan.stdout, /\[X\]/);
    // The project's own config (a data directory or DATABASE_URL) gets no such note.
    t.notRegex((await project.chatMigrate('plan')).stderr, /in-memory/);
  });
});

test('plan on a graph with problems refuses without claiming to apply anything', async t => {
  await inCopy('custom-message', async project => {
    const plan = await project.chatMigrate('plan');
    t.is(plan.code, 1);
    t.regex(plan.stdout, /Refusing: the migration graph has 1 problem; nothing was listed\./);
  });
});

test('graph prints the run order as text and as Graphviz DOT', async t => {
  await inCopy('custom-message', async project => {
    await project.chatMigrate('fix');
    const text = await project.chatMigrate('graph');
    t.is(text.code, 0);
    t.is(
      text.stdout.trim(),
      [
        'realtime_chat_messaging.0001_initial',
        'myapp.Migration20261125101632',
        '    <- realtime_chat_messaging.0001_initial',
        '    <- realtime_chat_messaging.0001_initial  (swappable(User) = realtime_chat_messaging.User)',
        'realtime_chat_messaging.0002_initial',
        '    <- myapp.Migration20261125101632  (swappable(Message) = myapp.CustomMessage)',
        '    <- realtime_chat_messaging.0001_initial',
        '    <- realtime_chat_messaging.0001_initial  (swappable(User) = realtime_chat_messaging.User)',
        '    <- realtime_chat_messaging.0001_initial  (swappable(RoomProperty) = realtime_chat_messaging.RoomProperty)',
      ].join('\n'),
    );
    const dot = await project.chatMigrate('graph', '--format', 'dot');
    t.is(dot.code, 0);
    t.regex(dot.stdout, /^digraph migrations \{/);
    t.regex(dot.stdout, /subgraph "cluster_myapp" \{\n {4}label="myapp";\n {4}"myapp\.Migration20261125101632" \[label="Migration20261125101632"\];/);
    t.regex(dot.stdout, /"realtime_chat_messaging\.0002_initial" -> "myapp\.Migration20261125101632" \[label="swappable\(Message\) = myapp\.CustomMessage", style=dashed\];/);
  });
});
