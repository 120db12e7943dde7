/**
 * Group commit of sends, per room. A send into a room with no statement in flight runs at once,
 * alone; sends that arrive while one is in flight wait for it and then go together, as one
 * statement and one commit (`send-batch-statement.ts`). So nothing waits on a timer, and under
 * load a busy room's sends share their round trip, their commit and the room's row lock instead
 * of queueing on that lock one by one. A room's order stays its event-log order; each send still
 * gets its own outcome, and its own error (a failed batch is retried send by send).
 */
import type { EntityManager } from '@mikro-orm/core';
import { batchable, runSendBatch } from './send-batch-statement.js';
import { runSendStatement, sendShape, type SendOutcome, type SendRows } from './send-statement.js';

/** The most sends one statement carries. */
const MAX_BATCH = 128;

interface Waiting {
  readonly rows: SendRows;
  resolve(outcome: SendOutcome | undefined): void;
  reject(error: unknown): void;
}

/** Sends waiting per room; a room is present while a statement of its is in flight. */
type Rooms = Map<string, Waiting[]>;

const roomsByDriver = new WeakMap<object, Rooms>();

/** Runs a send, together with the sends into its room that queue up meanwhile (see the module comment). */
export function queueSend(em: EntityManager, rows: SendRows): Promise<SendOutcome | undefined> {
  // Inside a transaction the send is part of it: it runs there, alone.
  if (em.getTransactionContext()) return runSendStatement(em, rows);
  const driver = em.getDriver();
  let rooms = roomsByDriver.get(driver);
  if (!rooms) roomsByDriver.set(driver, (rooms = new Map()));
  const waiting = rooms.get(rows.roomId);
  if (waiting) return new Promise((resolve, reject) => waiting.push({ rows, resolve, reject }));
  rooms.set(rows.roomId, []);
  const done = runSendStatement(em, rows);
  void done.then(
    () => drain(em, rooms, rows.roomId),
    () => drain(em, rooms, rows.roomId),
  );
  return done;
}

function drain(em: EntityManager, rooms: Rooms, roomId: string): void {
  const waiting = rooms.get(roomId)!;
  if (waiting.length === 0) {
    rooms.delete(roomId);
    return;
  }
  const batch = waiting.splice(0, MAX_BATCH);
  void runTogether(em.fork(), roomId, batch).finally(() => drain(em, rooms, roomId));
}

/** Runs waiting sends: each run of one shape as one statement, in the order they came. */
async function runTogether(em: EntityManager, roomId: string, batch: Waiting[]): Promise<void> {
  for (let start = 0; start < batch.length; ) {
    const shape = sendShape(batch[start]!.rows);
    let end = start + 1;
    while (end < batch.length && sendShape(batch[end]!.rows) === shape) end++;
    await runGroup(em, roomId, batch.slice(start, end));
    start = end;
  }
}

async function runGroup(em: EntityManager, roomId: string, group: Waiting[]): Promise<void> {
  if (group.length > 1 && batchable(group[0]!.rows)) {
    try {
      const outcomes = await runSendBatch(em, roomId, group.map(w => w.rows));
      group.forEach((w, i) => w.resolve(outcomes[i]));
      return;
    } catch {
      // One send's error (a repeated client id, say) fails them all: each runs alone for its own outcome.
    }
  }
  for (const waiting of group) await runSendStatement(em, waiting.rows).then(waiting.resolve, waiting.reject);
}
