/**
 * One process at a time on an embedded database: PGlite keeps no lock of its own, and two
 * processes (or two instances in one process) on one data directory lose each other's writes or
 * corrupt it. A lock file beside the directory holds the owner's pid; a lock whose process is
 * gone (killed) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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

/** A held lock: `release` removes it (once). */
export interface DataDirLock {
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock of a data directory, or throws `EmbeddedDatabaseBusy`. */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${resolve(dataDir)}.lock`;
  if (held.has(lockPath)) throw new EmbeddedDatabaseBusy(dataDir, process.pid, lockPath);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(lockPath);
      if (owner !== undefined && owner !== process.pid && alive(owner)) throw new EmbeddedDatabaseBusy(dataDir, owner, lockPath);
      if (attempt > 0) throw new EmbeddedDatabaseBusy(dataDir, owner ?? 0, lockPath);
      // Left by a process that is gone (or by this one, before a crash it survived): take it over.
      unlinkSync(lockPath);
    }
  }
  held.add(lockPath);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const path of held) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      }
    });
  }
  return {
    release() {
      if (!held.delete(lockPath)) return;
      try {
        unlinkSync(lockPath);
      } catch {
        // Already gone.
      }
    },
  };
}
