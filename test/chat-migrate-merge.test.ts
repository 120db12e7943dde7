/**
 * `chat-migrate merge`, Django's `makemigrations --merge`: an app whose migrations two branches
 * each extended has two latest migrations; check names the conflict and the command, MikroORM's
 * migration:create refuses in one clear message, merge writes the migration that depends on
 * both, and everything works again. The serial tests run in order on one copy of the project.
 */
import test from 'ava';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, inProjectCopy, type Project } from './helpers/project.js';
import { appliedOrder } from './helpers/applied-migrations.js';

const FIRST = 'Migration20261125101632';
const BRANCHES = ['Migration20261126090000', 'Migration20261126100000'];

/** A migration of app myapp that a branch added after the fixture's first: one table of its own. */
function branchMigration(name: string): string {
  return [
    "import { Migration } from '@mikro-orm/migrations';",
    '',
    `export class ${name} extends Migration {`,
    "  static readonly app = 'myapp';",
    '  static readonly dependencies = [',
    `    ['myapp', '${FIRST}'],`,
    '  ] as const;',
    '',
    '  override async up(): Promise<void> {',
    `    this.addSql(\`create table "branch_${name.slice(-6)}" ("id" int not null, constraint "branch_${name.slice(-6)}_pkey" primary key ("id"));\`);`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The fixture with its cycle mended and two branches merged in git: two latest migrations in myapp. */
async function twoBranches(project: Project): Promise<void> {
  const fix = await project.chatMigrate('fix');
  if (fix.code !== 0) throw new Error(fix.stdout + fix.stderr);
  for (const name of BRANCHES) writeFileSync(join(project.dir, 'migrations', `${name}.ts`), branchMigration(name));
}

function migrationFiles(project: Project): string[] {
  return readdirSync(join(project.dir, 'migrations')).filter(file => file.endsWith('.ts')).sort();
}

let project: Project;
/** The merge migration's name, once written. */
let merged: string;

test.before(async () => {
  project = await copyProject('custom-message');
  await twoBranches(project);
});
test.after.always(async () => {
  await project?.remove();
});

test.serial('check reports the two latest migrations and names the command that merges them', async t => {
  const check = await project.chatMigrate('check');
  t.is(check.code, 1, check.stdout + check.stderr);
  t.regex(
    check.stdout,
    new RegExp(`app 'myapp' has 2 latest migrations \\(${BRANCHES.join(', ')}\\): they conflict\\. Run npx chat-migrate merge myapp to add the migration that depends on all of them`),
  );
});

test.serial("MikroORM's migration:create refuses in one clear message: no help, no stack", async t => {
  const before = project.fingerprint();
  const created = await project.mikroOrm('migration:create', '--blank');
  t.is(created.code, 1, created.stdout + created.stderr);
  t.regex(created.stderr, /^No migration was created: the migration graph has problems:\n {2}- .*app 'myapp' has 2 latest migrations .*Run npx chat-migrate merge myapp/);
  t.notRegex(created.stdout + created.stderr, /Options:|--blank|^\s+at /m, 'neither the help of the command nor a stack');
  t.deepEqual(project.fingerprint(), before);
});

test.serial('merge --dry-run prints the migration it would write and writes nothing', async t => {
  const before = project.fingerprint();
  const dry = await project.chatMigrate('merge', '--dry-run');
  t.is(dry.code, 0, dry.stdout + dry.stderr);
  t.regex(dry.stdout, new RegExp(`^Would write migrations/Migration\\d{14}_merge\\.ts, which merges the latest migrations of app 'myapp' \\(${BRANCHES.join(', ')}\\):`));
  t.regex(dry.stdout, new RegExp(`static readonly dependencies = \\[\\n {4}\\['myapp', '${BRANCHES[0]}'\\],\\n {4}\\['myapp', '${BRANCHES[1]}'\\],\\n {2}\\] as const;`));
  t.regex(dry.stdout, /\n\(dry run: nothing was written\)\n$/);
  t.deepEqual(project.fingerprint(), before);
});

test.serial('merge writes one migration that depends on both latest migrations, in the shape of a generated one', async t => {
  const before = migrationFiles(project);
  const result = await project.chatMigrate('merge');
  t.is(result.code, 0, result.stdout + result.stderr);
  const added = migrationFiles(project).filter(file => !before.includes(file));
  t.is(added.length, 1, added.join(', '));
  merged = added[0]!.replace(/\.ts$/, '');
  t.regex(merged, /^Migration\d{14}_merge$/);
  t.true(merged > BRANCHES[1]!, 'named after the latest migrations it merges');
  t.is(
    result.stdout,
    `Wrote migrations/${merged}.ts, which merges the latest migrations of app 'myapp' (${BRANCHES.join(', ')}).\n` +
      'The migration graph is consistent: 6 migrations (realtime_chat_messaging: 2, myapp: 4). Next: npx chat-migrate migrate\n',
  );
  const text = project.read(`migrations/${merged}.ts`);
  t.regex(text, new RegExp(`export class ${merged} extends Migration \\{\\n {2}static readonly app = 'myapp';\\n {2}static readonly dependencies = \\[\\n {4}\\['myapp', '${BRANCHES[0]}'\\],\\n {4}\\['myapp', '${BRANCHES[1]}'\\],\\n {2}\\] as const;`));
  t.regex(text, /override async up\(\): Promise<void> \{\}/);
  t.regex(text, /override async down\(\): Promise<void> \{\}/);
});

test.serial('check passes after the merge', async t => {
  const check = await project.chatMigrate('check');
  t.is(check.code, 0, check.stdout + check.stderr);
  t.regex(check.stdout, /^No problems: 6 migrations \(realtime_chat_messaging: 2, myapp: 4\)\./);
});

test.serial('a second merge has nothing to merge and changes no byte', async t => {
  const before = project.fingerprint();
  const all = await project.chatMigrate('merge');
  t.is(all.code, 0, all.stdout + all.stderr);
  t.is(all.stdout, 'Nothing to merge: no app has more than one latest migration.\n');
  const named = await project.chatMigrate('merge', 'myapp');
  t.is(named.code, 0, named.stdout + named.stderr);
  t.is(named.stdout, `Nothing to merge: app 'myapp' has one latest migration (${merged}).\n`);
  t.deepEqual(project.fingerprint(), before);
});

test.serial("migrate applies the branches, then the merge; plan and MikroORM's history agree", async t => {
  const result = await project.chatMigrate('migrate');
  t.is(result.code, 0, result.stdout + result.stderr);
  const applied = result.stdout.split('\n').filter(line => line.startsWith('Applied ')).map(line => line.slice('Applied '.length));
  t.deepEqual(applied, [
    'realtime_chat_messaging.0001_initial',
    `myapp.${FIRST}`,
    `myapp.${BRANCHES[0]}`,
    `myapp.${BRANCHES[1]}`,
    `myapp.${merged}`,
    'realtime_chat_messaging.0002_initial',
  ]);
  const plan = await project.chatMigrate('plan');
  t.is(plan.code, 0, plan.stdout + plan.stderr);
  t.deepEqual(plan.stdout.trim().split('\n'), applied.map(name => `[X] ${name}`));
  t.deepEqual(await appliedOrder(project), applied);
  const pending = await project.mikroOrm('migration:pending');
  t.is(pending.code, 0, pending.stdout + pending.stderr);
  t.regex(pending.stdout, /No pending migrations/);
});

test.serial("MikroORM's migration:create works again: the new migration follows the merge", async t => {
  const created = await project.mikroOrm('migration:create', '--blank');
  t.is(created.code, 0, created.stdout + created.stderr);
  const name = /(Migration\d+)\.ts successfully created/.exec(created.stdout)![1]!;
  t.regex(project.read(`migrations/${name}.ts`), new RegExp(`static readonly dependencies = \\[\\n {4}\\['myapp', '${merged}'\\],\\n {2}\\] as const;`));
  const check = await project.chatMigrate('check');
  t.is(check.code, 0, check.stdout + check.stderr);
});

test('merge names an unknown app with the closest label, and writes nothing', async t => {
  await inProjectCopy('custom-message', async copy => {
    await twoBranches(copy);
    const before = copy.fingerprint();
    const unknown = await copy.chatMigrate('merge', 'my_app');
    t.is(unknown.code, 2, unknown.stdout + unknown.stderr);
    t.regex(unknown.stderr, /^chat-migrate: merge: unknown app 'my_app'\. Did you mean 'myapp'\? Apps: myapp\n/);
    const own = await copy.chatMigrate('merge', 'realtime_chat_messaging');
    t.is(own.code, 2, own.stdout + own.stderr);
    t.regex(own.stderr, /'realtime_chat_messaging' is the package's own app, whose migrations ship with it\. Apps: myapp/);
    const extra = await copy.chatMigrate('merge', 'myapp', 'other');
    t.is(extra.code, 2);
    t.regex(extra.stderr, /unexpected argument 'other'/);
    t.deepEqual(copy.fingerprint(), before);
  });
});

test('merge refuses, writing nothing, while a problem hides which migrations are the latest', async t => {
  await inProjectCopy('custom-message', async copy => {
    await twoBranches(copy);
    writeFileSync(join(copy.dir, 'migrations', BRANCHES[1]! + '.ts'), branchMigration(BRANCHES[1]!).replace(`'${FIRST}'`, "'Migration20261125101630'"));
    const before = copy.fingerprint();
    const result = await copy.chatMigrate('merge', 'myapp');
    t.is(result.code, 1, result.stdout + result.stderr);
    t.regex(result.stdout, /^merge needs a graph whose latest migrations are known; first solve:\n {2}.*depends on \('myapp', 'Migration20261125101630'\), which does not exist/);
    t.deepEqual(copy.fingerprint(), before);
  });
});

test('in an app that runs compiled migrations, fix and merge say to rebuild', async t => {
  await inProjectCopy('custom-message', async copy => {
    writeFileSync(
      join(copy.dir, 'compiled.config.ts'),
      copy.read('mikro-orm.config.ts').replace("migrations: 'migrations'", "migrations: { path: 'dist/migrations', pathTs: 'migrations' }"),
    );
    const rebuild = /^Rebuild \(npm run build, or tsc\) before the app starts: it runs the compiled migrations in dist\/migrations, which do not have this change yet\.$/m;
    const fix = await copy.chatMigrate('fix', '--config', 'compiled.config.ts');
    t.is(fix.code, 0, fix.stdout + fix.stderr);
    t.regex(fix.stdout, rebuild);
    for (const name of BRANCHES) writeFileSync(join(copy.dir, 'migrations', `${name}.ts`), branchMigration(name));
    const merge = await copy.chatMigrate('merge', '--config', 'compiled.config.ts');
    t.is(merge.code, 0, merge.stdout + merge.stderr);
    t.regex(merge.stdout, /Next: npx chat-migrate migrate\n/);
    t.regex(merge.stdout, rebuild);
  });
});
