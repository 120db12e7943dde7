/**
 * One process at a time on an embedded database: PGlite keeps no lock of its own, and two
 * processes (or two instances in one process) on one data directory lose each other's writes or
 * corrupt it. A lock file beside the directory names its owner (pid and start time); it appears
 * whole or not at all (written aside, then hard-linked into place), and a lock whose owner is gone
 * is moved aside atomically before it is replaced, so two starters never both win.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** The embedded database is open in another process, or already in this one. */
export class EmbeddedDatabaseBusy extends Error {
  readonly code = 'embedded_database_busy';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by ${pid === process.pid ? 'this process already' : `another process (pid ${pid}; lock file ${lockFile})`}. ` +
        'PGlite serves one process at a time: stop the other one first, or use a PostgreSQL server (DATABASE_URL) to share a database.',
    );
    this.name = 'EmbeddedDatabaseBusy';
  }
}

/** A held lock: `release` removes it (once, and only while it is still this holder's). */
export interface DataDirLock {
  release(): void;
}

interface Owner {
  readonly pid: number;
  /** When the owning process started (ms since the epoch); tells a restarted pid from the same process. */
  readonly started?: number;
}

const STARTED = Math.round(Date.now() - process.uptime() * 1000);
const ME: Owner = { pid: process.pid, started: STARTED };
const held = new Map<string, symbol>();
let exitHookInstalled = false;

function readOwner(path: string): Owner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Owner> | number;
    const owner = typeof parsed === 'number' ? { pid: parsed } : parsed;
    return Number.isInteger(owner.pid) && owner.pid! > 0 ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner still runs: this very process (same start), or another live process. */
function alive(owner: Owner): boolean {
  if (owner.pid === process.pid) return owner.started === STARTED;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const mine = (owner: Owner | undefined) => owner?.pid === ME.pid && owner.started === ME.started;
const unique = (path: string, what: string) => `${path}.${what}.${process.pid}.${randomBytes(4).toString('hex')}`;

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Writes the lock whole, or fails with EEXIST if there is one. */
function create(lockPath: string): void {
  const pending = unique(lockPath, 'new');
  writeFileSync(pending, JSON.stringify(ME));
  try {
    linkSync(pending, lockPath);
  } finally {
    tryUnlink(pending);
  }
}

/** Takes the lock of a data directory, or throws `EmbeddedDatabaseBusy`. */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${resolve(dataDir)}.lock`;
  if (held.has(lockPath)) throw new EmbeddedDatabaseBusy(dataDir, process.pid, lockPath);
  for (let attempt = 0; ; attempt++) {
    try {
      create(lockPath);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return unlocked(lockPath, code);
      if (code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    if (owner && alive(owner)) throw new EmbeddedDatabaseBusy(dataDir, owner.pid, lockPath);
    if (attempt >= 3) throw new EmbeddedDatabaseBusy(dataDir, owner?.pid ?? 0, lockPath);
    // Its owner is gone (killed): move it aside, and make sure what moved is the lock judged stale.
    const aside = unique(lockPath, 'stale');
    try {
      renameSync(lockPath, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readOwner(aside);
    if (moved && alive(moved)) {
      // Another starter replaced the stale lock meanwhile: give its lock back; it wins.
      try {
        linkSync(aside, lockPath);
      } catch {
        // A third one is there already.
      }
      tryUnlink(aside);
      throw new EmbeddedDatabaseBusy(dataDir, moved.pid, lockPath);
    }
    tryUnlink(aside);
  }
  const token = Symbol(lockPath);
  held.set(lockPath, token);
  installExitHook();
  return {
    release() {
      if (held.get(lockPath) !== token) return;
      held.delete(lockPath);
      if (mine(readOwner(lockPath))) tryUnlink(lockPath);
    },
  };
}

/** Where no lock file can be written (a read-only parent directory): run without one, and say so. */
function unlocked(lockPath: string, code: string): DataDirLock {
  console.warn(`realtime-chat-messaging: cannot write ${lockPath} (${code}); running without a lock: make sure no other process opens this database.`);
  return { release() {} };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const path of held.keys()) if (mine(readOwner(path))) tryUnlink(path);
  });
}
