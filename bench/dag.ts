/**
 * Benchmark of `chat-migrate check` and `fix --dry-run` as whole processes, on synthetic projects
 * of 20, 200 and 2,000 apps × 20 migrations (400, 4,000 and 40,000 files) with cross-app and
 * swappable dependencies and the guide's cycle in two apps. Prints seconds and peak memory for a
 * first run (config loaded, every file parsed), a cold run (config facts cached, every file
 * parsed again) and a warm run (nothing changed), and the growth ratios between sizes.
 *
 * Usage: npm run bench:dag [-- --sizes 20,200,2000] [--keep]  (--keep leaves the projects under .tmp/ for profiling)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'chat-migrate.js');
const MIGRATIONS_PER_APP = 20;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const appName = (i: number) => `app${pad(i, 4)}`;
const migrationName = (i: number) => `Migration${pad(i, 2)}`;

function migrationFile(app: number, index: number, apps: number): string {
  const deps: string[] = [];
  if (index > 0) deps.push(`['${appName(app)}', '${migrationName(index - 1)}']`);
  else {
    // Apps 0 and 1 own the swapped Message and User: as generated, they depend on 0002_initial (the guide's cycle).
    deps.push(app < 2 ? `['realtime_chat_messaging', '0002_initial']` : `['realtime_chat_messaging', '0001_initial']`);
    if (app > 0) deps.push(`['${appName(app - 1)}', '${migrationName(MIGRATIONS_PER_APP / 2)}']`);
  }
  if (index === 0 && app >= 2) deps.push(`swappable('User')`);
  if (index === 5 && app % 5 === 0 && app >= 2) deps.push(`swappable('Message')`);
  if (index === 10 && apps > 3 && app >= 3) deps.push(`['${appName((app * 7) % app)}', '${migrationName(MIGRATIONS_PER_APP - 1)}']`);
  const table = `${appName(app)}_t${pad(index, 2)}`;
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
    for (let m = 0; m < MIGRATIONS_PER_APP; m++) writeFileSync(join(folder, `${migrationName(m)}.ts`), migrationFile(a, m, apps));
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
}

function measure(dir: string, args: string[]): Measure {
  const command = TIME ?? process.execPath;
  const commandArgs = TIME ? ['-f', '%e %M', process.execPath, CLI, ...args] : [CLI, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const timeLine = TIME ? result.stderr.trim().split('\n').pop()! : '';
  const peakKb = TIME ? Number(timeLine.split(' ')[1]) : NaN;
  return { seconds, code: result.status ?? -1, ...(Number.isFinite(peakKb) ? { peakMb: peakKb / 1024 } : {}) };
}

function forgetDeclarations(): void {
  const base = cacheFolders();
  if (!existsSync(base)) return;
  for (const project of readdirSync(base)) rmSync(join(base, project, 'declarations.json'), { force: true });
}

function forgetEverything(): void {
  rmSync(cacheFolders(), { recursive: true, force: true });
}

const sizes = (() => {
  const flag = process.argv.indexOf('--sizes');
  return flag > 0 ? process.argv[flag + 1]!.split(',').map(Number) : [20, 200, 2000];
})();

execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
console.log(`chat-migrate on synthetic projects (${MIGRATIONS_PER_APP} migrations per app), whole processes, ${process.platform} ${process.arch}, Node ${process.version}`);
console.log('seconds (peak MB)');
console.log(['files', 'command', 'first run', 'cold (parse all)', 'warm (unchanged)'].map(h => h.padEnd(18)).join(''));
const warmCheck: number[] = [];
const coldCheck: number[] = [];
for (const apps of sizes) {
  const dir = buildProject(apps);
  const files = apps * MIGRATIONS_PER_APP;
  for (const args of [['check'], ['fix', '--dry-run']]) {
    forgetEverything();
    const first = measure(dir, args);
    forgetDeclarations();
    const cold = measure(dir, args);
    const warm = measure(dir, args);
    const show = (m: Measure) => `${m.seconds.toFixed(3)} (${m.peakMb?.toFixed(0) ?? 'n/a'})`.padEnd(18);
    console.log([String(files).padEnd(18), args.join(' ').padEnd(18), show(first), show(cold), show(warm)].join(''));
    if (args[0] === 'check') {
      coldCheck.push(cold.seconds);
      warmCheck.push(warm.seconds);
      if (cold.code !== 1) console.log(`  (unexpected exit ${cold.code}: the project should report two cycles)`);
    }
  }
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
for (let i = 1; i < sizes.length; i++) {
  const factor = sizes[i]! / sizes[i - 1]!;
  console.log(
    `growth ${sizes[i - 1]! * MIGRATIONS_PER_APP} -> ${sizes[i]! * MIGRATIONS_PER_APP} files (x${factor}): check cold x${(coldCheck[i]! / coldCheck[i - 1]!).toFixed(2)}, warm x${(warmCheck[i]! / warmCheck[i - 1]!).toFixed(2)}`,
  );
}
console.log('aims: 4,000 files warm < 0.2 s, cold < 0.6 s; 40,000 files < 2 s; growth linear (ratio close to the size factor or below)');
