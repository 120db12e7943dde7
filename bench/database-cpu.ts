/**
 * CPU time of the local PostgreSQL server's processes (every process named `postgres`), read from
 * /proc, so that a benchmark can print the database's CPU per operation beside the server's and
 * the load generator's: on a machine where all three share the cores, the sum is what bounds
 * throughput. Undefined where /proc is not there (or the server runs elsewhere).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The CPU time (user + system, µs) of every `postgres` process alive now. */
export function databaseCpuMicros(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter(name => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  let seen = false;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // the process exited meanwhile
    }
    // "pid (comm) state ppid ...": the name may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    seen = true;
  }
  return seen ? (ticks / TICKS_PER_SECOND) * 1e6 : undefined;
}
