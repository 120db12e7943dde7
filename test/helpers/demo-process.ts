/**
 * The demo server as `npm start` runs it, in a child process the test can stop and start again
 * on the same port and database (PGlite on disk under .tmp/, or a fresh PostgreSQL database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from './database.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** A demo user, as `GET /demo/users` lists it. */
export interface DemoAccount {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

export interface DemoProcess {
  readonly url: string;
  readonly accounts: DemoAccount[];
  /** Stops the server process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again, same port, same database. */
  start(): Promise<void>;
  /** Stops it and drops its database. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.once('error', fail);
  });
}

/** Starts the demo in a child process: on a database of its own, or on `shared` (dropped by its owner); on Redis at `redisUrl`. */
export async function startDemoProcess(options: { shared?: TestDatabase; redisUrl?: string } = {}): Promise<DemoProcess & { database: TestDatabase }> {
  const database: TestDatabase = options.shared ?? (await createTestDatabase());
  const port = await freePort();
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dataDir = mkdtempSync(join(ROOT, '.tmp', 'demo-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CHAT_DATA_DIR: dataDir, CHAT_TOKEN_SECRET: 'browser-test-secret' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (database.target.url) env.DATABASE_URL = database.target.url;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(process.execPath, [join(ROOT, 'dist', 'fixtures', 'demo', 'server.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((done, fail) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`the demo did not start: ${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('sign in to the chat')) {
          clearTimeout(timer);
          done();
        }
      };
      child!.stdout!.on('data', read);
      child!.stderr!.on('data', read);
      child!.once('exit', code => fail(new Error(`the demo exited (${code}): ${output}`)));
    });
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise(done => child!.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  const accounts = (await (await fetch(`${url}/demo/users`)).json()) as DemoAccount[];
  return {
    url,
    accounts,
    database,
    start,
    stop,
    async dispose() {
      await stop();
      if (!options.shared) await database.drop();
    },
  };
}
