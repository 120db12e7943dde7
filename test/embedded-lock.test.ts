/**
 * An embedded database (PGlite on disk) serves one process at a time: a second opener, in another
 * process or in this one, is refused with a clear error instead of losing or corrupting data; a
 * lock left by a killed process is taken over. Always on PGlite, whatever DATABASE_URL says.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, defineChatSettings, EmbeddedDatabaseBusy } from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const freshDir = () => join(mkdtempSync(join(ROOT, '.tmp', 'lock-')), 'data');

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
