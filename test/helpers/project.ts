/**
 * A fixture project copied where a user would have it (inside this package's folder, so it
 * resolves `realtime-chat-messaging` and the installed tools), with its own database, and the
 * commands a user runs in it.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from './database.js';

/** The package's root folder. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** The built chat-migrate command. */
export const CLI = join(ROOT, 'dist', 'cli', 'chat-migrate.js');
/** MikroORM's own CLI (ES modules). */
export const MIKRO_ORM_CLI = join(ROOT, 'node_modules', '@mikro-orm', 'cli', 'esm');

/** The result of a command. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copied fixture project. */
export interface Project {
  readonly dir: string;
  readonly database: TestDatabase;
  /** The environment its commands run with (its own database). */
  readonly env: NodeJS.ProcessEnv;
  chatMigrate(...args: string[]): Promise<Run>;
  /** chat-migrate started from another folder, or with other environment variables. */
  chatMigrateWith(options: { cwd?: string; env?: NodeJS.ProcessEnv }, ...args: string[]): Promise<Run>;
  mikroOrm(...args: string[]): Promise<Run>;
  /** Every file of the project (migrations included) with a hash of its bytes. */
  fingerprint(): Record<string, string>;
  read(path: string): string;
  remove(): Promise<void>;
}

/** Runs a command in `cwd` with `env` and collects its exit code and output. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise(done => {
    execFile(command, args, { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** Copies `fixtures/<name>` (with its sibling fixtures, which some import) to a fresh folder with a fresh database. */
export async function copyProject(name: string): Promise<Project> {
  const copy = join(ROOT, '.tmp', `fixtures-${randomBytes(4).toString('hex')}`);
  cpSync(join(ROOT, 'fixtures'), copy, { recursive: true });
  const dir = join(copy, name);
  const database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1' };
  delete env.DATABASE_URL;
  delete env.CHAT_DATA_DIR;
  if (database.target.url) env.DATABASE_URL = database.target.url;
  else {
    env.CHAT_DATA_DIR = join(dir, '.pgdata');
    mkdirSync(env.CHAT_DATA_DIR);
  }
  const files = (): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter(path => !path.startsWith('.pgdata') && statSync(join(dir, path)).isFile())
      .sort();
  return {
    dir,
    database,
    env,
    chatMigrate: (...args) => run(process.execPath, [CLI, ...args], dir, env),
    chatMigrateWith: (options, ...args) => run(process.execPath, [CLI, ...args], options.cwd ?? dir, { ...env, ...options.env }),
    mikroOrm: (...args) => run(process.execPath, ['--loader', 'ts-node/esm', '--no-warnings', MIKRO_ORM_CLI, ...args], dir, env),
    fingerprint: () => Object.fromEntries(files().map(path => [path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')])),
    read: path => readFileSync(join(dir, path), 'utf8'),
    async remove() {
      rmSync(copy, { recursive: true, force: true });
      await database.drop();
    },
  };
}


/** Runs `body` in a fresh copy of a fixture project, removed afterwards. */
export async function inProjectCopy(fixture: string, body: (project: Project) => Promise<void>): Promise<void> {
  const project = await copyProject(fixture);
  try {
    await body(project);
  } finally {
    await project.remove();
  }
}
