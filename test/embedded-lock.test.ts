/**
 * An embedded database (PGlite on disk) serves one process at a time: a second opener, in another
 * process or in this one, is refused with a clear error instead of losing or corrupting data; a
 * lock left by a killed process is taken over. Always on PGlite, whatever DATABASE_URL says.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, defineChatSettings, EmbeddedDatabaseBusy } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
// Each data directory is some 27 MB of PGlite files: all go once the file's tests are done.
const made: string[] = [];
const freshDir = () => {
  made.push(mkdtempSync(join(ROOT, '.tmp', 'lock-')));
  return join(made.at(-1)!, 'data');
};
test.after.always(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<MikroORM> {
  return MikroORM.init({ ...(await chatOrmConfig(defineChatSettings(), { database: { dataDir } })), debug: false });
}

/** A process holding the database: it creates a table, writes a row and says READY. */
async function holder(dataDir: string): Promise<ChildProcess> {
  const script = `
    import { MikroORM } from '@mikro-orm/core';
    import { chatOrmConfig, defineChatSettings } from './dist/src/index.js';
    const orm = await MikroORM.init({ ...(await chatOrmConfig(defineChatSettings(), { database: { dataDir: ${JSON.stringify(dataDir)} } })), debug: false });
    const db = orm.em.getConnection();
    await db.execute('create table kept (note text)');
    await db.execute("insert into kept values ('written by the holder')");
    process.once('SIGTERM', () => process.exit(0));
    console.log('READY');
    setInterval(() => {}, 1000);
  `;
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', chunk => String(chunk).includes('READY') && done());
    child.once('exit', code => fail(new Error(`the holder exited (${code})`)));
  });
  return child;
}

test('a second instance in the same process is refused until the first is closed', async t => {
  const dataDir = freshDir();
  const first = await open(dataDir);
  const error = await t.throwsAsync(open(dataDir));
  t.true(error?.message.includes(`The embedded database at ${dataDir} is in use by this process already`), error?.message);
  await first.close(true);
  t.false(existsSync(`${dataDir}.lock`), 'closing releases the lock');
  const again = await open(dataDir);
  await again.close(true);
});

test('another process holding the database is named; once it is killed, its lock is taken over and its data is there', async t => {
  const dataDir = freshDir();
  const child = await holder(dataDir);
  try {
    const error = await t.throwsAsync(open(dataDir));
    t.true(error instanceof EmbeddedDatabaseBusy || error?.message.includes('in use by another process'), String(error));
    t.true(error!.message.includes(`another process (pid ${child.pid}; lock file ${dataDir}.lock)`), error!.message);
    t.true(error!.message.includes('DATABASE_URL'), 'it says how to share a database');
  } finally {
    const exited = new Promise(done => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
  t.true(existsSync(`${dataDir}.lock`), 'a killed process leaves its lock behind');
  const orm = await open(dataDir);
  try {
    const rows = await orm.em.getConnection().execute('select note from kept');
    t.deepEqual(rows, [{ note: 'written by the holder' }]);
  } finally {
    await orm.close(true);
  }
});

test('a process that exits without closing the database still removes its lock', async t => {
  const dataDir = freshDir();
  const child = await holder(dataDir);
  t.true(existsSync(`${dataDir}.lock`));
  const exited = new Promise(done => child.once('exit', done));
  child.kill('SIGTERM'); // its handler calls process.exit
  await exited;
  t.false(existsSync(`${dataDir}.lock`));
  const orm = await open(dataDir);
  await orm.close(true);
});

/** Starts `count` processes at once that each try to take the lock; returns what each got. */
async function race(dataDir: string, count: number): Promise<string[]> {
  const script = `
    const { lockDataDir } = await import('./dist/src/orm/data-dir-lock.js');
    try {
      lockDataDir(${JSON.stringify(dataDir)});
      console.log('GOT');
      setTimeout(() => process.exit(0), 1500);
    } catch (error) {
      console.log(error.code === 'embedded_database_busy' ? 'BUSY' : String(error));
    }
  `;
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', chunk => (out += chunk));
      // 'close', not 'exit': a child's output can still be on its way when it has exited.
      return new Promise<string>(done => child.once('close', () => done(out.trim())));
    }),
  );
}

test('processes starting together on one directory: exactly one gets it, fresh or over a stale lock', async t => {
  const dataDir = freshDir();
  mkdirSync(dataDir, { recursive: true });
  const fresh = await race(dataDir, 6);
  t.is(fresh.filter(r => r === 'GOT').length, 1, fresh.join(' '));
  t.is(fresh.filter(r => r === 'BUSY').length, 5, fresh.join(' '));
  // The winner exited through process.exit, which removes its lock; now a stale one, of a pid that is gone.
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, started: 1 }));
  const stale = await race(dataDir, 6);
  t.is(stale.filter(r => r === 'GOT').length, 1, stale.join(' '));
});

test('the lock names its owner; a lock of this pid from an earlier start (a restarted container) or an unreadable one is taken over', async t => {
  const dataDir = freshDir();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, started: 1 }));
  const first = await open(dataDir);
  const owner = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'));
  t.is(owner.pid, process.pid);
  t.true(owner.started > 1 && owner.started <= Date.now());
  await first.close(true);
  writeFileSync(`${dataDir}.lock`, 'not a pid');
  const second = await open(dataDir);
  await second.close(true);
  t.false(existsSync(`${dataDir}.lock`));
  // A lock held by a live process (the test runner's parent) is respected.
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.ppid }));
  const error = await t.throwsAsync(open(dataDir));
  t.true(error!.message.includes(`pid ${process.ppid}`), error!.message);
});


test('a file:// data directory is locked like a plain path', async t => {
  const dataDir = freshDir();
  const first = await open(`file://${dataDir}`);
  try {
    await first.em.getConnection().execute('create table kept (note text)');
    await t.throwsAsync(open(dataDir), { message: /in use by this process already/ });
  } finally {
    await first.close(true);
  }
  const again = await open(dataDir);
  t.deepEqual(await again.em.getConnection().execute('select count(*)::int as n from kept'), [{ n: 0 }]);
  await again.close(true);
});
