/**
 * What a benchmark server reports about itself: CPU time used, database round trips made (every
 * query the `pg` driver sends, BEGIN and COMMIT included) and memory. The driver divides the
 * differences by the operations of a scenario: CPU µs per operation, round trips per operation.
 */
import pg from 'pg';

/** A server's counters at one moment. */
export interface ProcessStats {
  readonly cpuMicros: number;
  readonly roundTrips: number;
  readonly rss: number;
  readonly heapUsed: number;
}

let roundTrips = 0;

/** Counts every query sent through `pg` from now on (MikroORM's driver and bare `pg` alike). */
export function countRoundTrips(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    roundTrips++;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** CPU time spent in the collections `processStats` forced (µs), left out of the CPU it reports. */
let forcedCollections = 0;

/**
 * The counters now: memory after a full garbage collection when `--expose-gc` allows one, and CPU
 * time without such collections. The collection is the measurement's, not the workload's: counted,
 * a server's CPU per operation would include a full collection of everything it holds.
 */
export function processStats(): ProcessStats {
  const before = process.cpuUsage();
  globalThis.gc?.();
  const collection = process.cpuUsage(before);
  forcedCollections += collection.user + collection.system;
  const cpu = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  return { cpuMicros: cpu.user + cpu.system - forcedCollections, roundTrips, rss, heapUsed };
}

/** Answers `stats` on the IPC channel (and exits on `exit`, so a CPU profile gets written). */
export function answerStats(): void {
  process.on('message', (message: string) => {
    if (message === 'exit') process.exit(0);
    if (message === 'stats') process.send!(processStats());
  });
}
