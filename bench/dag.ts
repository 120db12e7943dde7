/**
 * Benchmark of `chat-migrate check` as a whole process, on synthetic projects of 20, 200 and 2,000
 * apps × 20 migrations (400, 4,000 and 40,000 files; bench/synthetic-graph.ts), beside Django's
 * MigrationLoader on the same graph. Prints seconds and peak memory for a first run (nothing
 * cached, as on a fresh checkout), `--no-cache`, a fresh checkout given a copy of the cache (every
 * file with a new time, CHAT_MIGRATE_CACHE_DIR restored as a CI cache would be), and a warm run
 * (nothing changed), Django without and with .pyc, the ratios, and the growth between sizes.
 *
 * Usage: npm run bench:dag [-- --sizes 20,200,2000] [--runs 3] [--django python3] [--keep]
 * (--keep leaves the projects under .tmp/ for profiling)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDjangoTwin, findDjangoPython, forgetBytecode, loaderArgs } from './django-twin.js';
import { appName, dependenciesOf, migrationName, MIGRATIONS_PER_APP, type SyntheticDependency } from './synthetic-graph.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'chat-migrate.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function renderDependency(dep: SyntheticDependency): string {
  return dep.kind === 'migration' ? `['${dep.app}', '${dep.name}']` : `swappable('${dep.token}')`;
}

function migrationFile(app: number, index: number): string {
  const deps = dependenciesOf(app, index).map(renderDependency);
  const table = `${appName(app)}_t${String(index).padStart(2, '0')}`;
  return `import { Migration } from '@mikro-orm/migrations';
import { swappable } from 'realtime-chat-messaging';

export class ${migrationName(index)} extends Migration {
  static readonly app = '${appName(app)}';
  static readonly dependencies = [
    ${deps.join(',\n    ')},
  ] as const;

  override async up(): Promise<void> {
    this.addSql(\`create table "${table}" ("id" uuid not null, "room_id" uuid not null, "title" varchar(64) not null, "created_at" timestamptz not null, constraint "${table}_pkey" primary key ("id"));\`);
    this.addSql(\`alter table "${table}" add constraint "${table}_room_id_foreign" foreign key ("room_id") references "chat_room" ("id") on update cascade on delete cascade;\`);
  }

  override async down(): Promise<void> {
    this.addSql(\`drop table if exists "${table}" cascade;\`);
  }
}
`;
}

const MODELS = `import { Entity, Property, type Opt } from '@mikro-orm/core';
import { AbstractMessage, AbstractUser, MessageSerializerMixin, UserSerializerMixin } from 'realtime-chat-messaging';

@Entity()
export class BenchMessage extends AbstractMessage {
  @Property({ type: 'boolean' })
  starred: Opt<boolean> = false;
}

@Entity()
export class BenchUser extends AbstractUser {}

export class BenchMessageSerializer extends MessageSerializerMixin {}
export class BenchUserSerializer extends UserSerializerMixin {}
`;

function config(apps: number): string {
  return `import { chatOrmConfig, defineChatSettings } from 'realtime-chat-messaging';
import { BenchMessage, BenchMessageSerializer, BenchUser, BenchUserSerializer } from './models.js';

const apps: Record<string, { migrations: string; entities?: Function[] }> = {};
for (let i = 0; i < ${apps}; i++) {
  const label = 'app' + String(i).padStart(4, '0');
  apps[label] = { migrations: 'apps/' + label + '/migrations' };
}
apps.app0000!.entities = [BenchMessage];
apps.app0001!.entities = [BenchUser];

const settings = defineChatSettings({
  models: { Message: BenchMessage, User: BenchUser },
  serializers: { MessageSerializer: BenchMessageSerializer, UserSerializer: BenchUserSerializer },
});

export default chatOrmConfig(settings, { apps });
`;
}

/** Writes a synthetic project of `apps` apps (inside the package, so it resolves the package). */
function buildProject(apps: number): string {
  const dir = join(ROOT, '.tmp', `bench-dag-${apps}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'models.ts'), MODELS);
  writeFileSync(join(dir, 'mikro-orm.config.ts'), config(apps));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false, skipLibCheck: true }, 'ts-node': { transpileOnly: true } }),
  );
  for (let a = 0; a < apps; a++) {
    const folder = join(dir, 'apps', appName(a), 'migrations');
    mkdirSync(folder, { recursive: true });
    for (let m = 0; m < MIGRATIONS_PER_APP; m++) writeFileSync(join(folder, `${migrationName(m)}.ts`), migrationFile(a, m));
  }
  return dir;
}

/** The cache folder of a project (as the tool computes it). */
function cacheFolders(): string {
  return join(ROOT, 'node_modules', '.cache', 'chat-migrate');
}

interface Measure {
  seconds: number;
  peakMb?: number;
  code: number;
  stdout: string;
}

function measureProcess(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Measure {
  const [program, programArgs] = TIME ? [TIME, ['-f', '%e %M', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(program, programArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const timeLine = TIME ? result.stderr.trim().split('\n').pop()! : '';
  const peakKb = TIME ? Number(timeLine.split(' ')[1]) : NaN;
  return { seconds, code: result.status ?? -1, stdout: result.stdout, ...(Number.isFinite(peakKb) ? { peakMb: peakKb / 1024 } : {}) };
}

/** The run of median time among `runs` runs of `once` (fewer when one run takes over 10 s). */
function median(runs: number, once: () => Measure): Measure {
  const results = [once()];
  while (results.length < runs && results[0]!.seconds < 10) results.push(once());
  return results.sort((a, b) => a.seconds - b.seconds)[Math.floor((results.length - 1) / 2)]!;
}

function forgetEverything(): void {
  rmSync(cacheFolders(), { recursive: true, force: true });
}

/** Gives every file of the project a new modification time, as a fresh checkout does. */
function touchAll(dir: string): void {
  const when = new Date();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), when, when);
  }
}

function option(name: string): string | undefined {
  const flag = process.argv.indexOf(name);
  return flag > 0 ? process.argv[flag + 1] : undefined;
}

const sizes = (option('--sizes') ?? '20,200,2000').split(',').map(Number);
const runs = Number(option('--runs') ?? 3);
const python = findDjangoPython(option('--django'));

execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
console.log(`chat-migrate check on synthetic projects (${MIGRATIONS_PER_APP} migrations per app), whole processes, median of ${runs}, ${process.platform} ${process.arch}, Node ${process.version}`);
console.log(python ? `Django's MigrationLoader on the same graph: ${spawnSync(python, ['-c', 'import django; print(django.get_version())'], { encoding: 'utf8' }).stdout.trim()}, no .pyc / with .pyc` : 'Django: not compared (give --django <python> with Django installed)');
console.log('seconds (peak MiB)');
const show = (m: Measure | undefined) => (m ? `${m.seconds.toFixed(3)} (${m.peakMb?.toFixed(0) ?? 'n/a'})` : '-').padEnd(17);
const ratio = (ours: Measure, theirs: Measure | undefined) => (theirs ? (theirs.seconds >= ours.seconds ? `${(theirs.seconds / ours.seconds).toFixed(1)}x faster` : `${(ours.seconds / theirs.seconds).toFixed(1)}x slower`) : '-').padEnd(14);
console.log(['files', 'first run', '--no-cache', 'checkout+cache', 'warm', 'Django no .pyc', 'Django .pyc', 'first vs Django', 'warm vs Django'].map(h => h.padEnd(17)).join(''));
const warmCheck: number[] = [];
const coldCheck: number[] = [];
for (const apps of sizes) {
  const dir = buildProject(apps);
  const files = apps * MIGRATIONS_PER_APP;
  const check = (...extra: string[]) => measureProcess(process.execPath, [CLI, 'check', ...extra], dir);
  const first = median(runs, () => (forgetEverything(), check()));
  const cold = median(runs, () => check('--no-cache'));
  const shared = { ...process.env, CHAT_MIGRATE_CACHE_DIR: '.ci-cache' };
  measureProcess(process.execPath, [CLI, 'check'], dir, shared);
  const checkout = median(runs, () => (touchAll(dir), measureProcess(process.execPath, [CLI, 'check'], dir, shared)));
  check();
  const warm = median(runs, () => check());
  if (first.code !== 1 || warm.code !== 1 || checkout.code !== 1) console.log(`  (unexpected exit ${first.code}/${checkout.code}/${warm.code}: the project should report the guide's cycle)`);
  let djangoCold: Measure | undefined;
  let djangoWarm: Measure | undefined;
  if (python) {
    const twin = join(dir, 'django');
    buildDjangoTwin(twin, apps);
    const load = (env: NodeJS.ProcessEnv) => measureProcess(python, loaderArgs(apps), twin, { ...process.env, PYTHONPATH: twin, ...env });
    djangoCold = median(runs, () => (forgetBytecode(twin, apps), load({ PYTHONDONTWRITEBYTECODE: '1' })));
    load({});
    djangoWarm = median(runs, () => load({}));
    if (!djangoCold.stdout.startsWith('cycle')) console.log(`  (Django did not find the cycle: ${djangoCold.stdout.trim()})`);
  }
  console.log([String(files).padEnd(17), show(first), show(cold), show(checkout), show(warm), show(djangoCold), show(djangoWarm), ratio(first, djangoCold), ratio(warm, djangoWarm)].join(''));
  coldCheck.push(cold.seconds);
  warmCheck.push(warm.seconds);
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
for (let i = 1; i < sizes.length; i++) {
  const factor = sizes[i]! / sizes[i - 1]!;
  console.log(
    `growth ${sizes[i - 1]! * MIGRATIONS_PER_APP} -> ${sizes[i]! * MIGRATIONS_PER_APP} files (x${factor}): check --no-cache x${(coldCheck[i]! / coldCheck[i - 1]!).toFixed(2)}, warm x${(warmCheck[i]! / warmCheck[i - 1]!).toFixed(2)}`,
  );
}
console.log('aims: cold check <= 0.3 s at 400 files and <= 0.5 s at 4,000 with peak <= 100 MiB; warm <= 0.1 s at 4,000; 40,000 cold < 2 s');
