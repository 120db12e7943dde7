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

/** The counters now (after a full garbage collection when `--expose-gc` allows one, for memory). */
export function processStats(): ProcessStats {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  return { cpuMicros: cpu.user + cpu.system, roundTrips, rss, heapUsed };
}

/** Answers `stats` on the IPC channel (and exits on `exit`, so a CPU profile gets written). */
export function answerStats(): void {
  process.on('message', (message: string) => {
    if (message === 'exit') process.exit(0);
    if (message === 'stats') process.send!(processStats());
  });
}
