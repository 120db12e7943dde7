/**
 * Frames written to a socket during one turn of the event loop leave in one system call.
 *
 * A group-committed batch of sends, a resume's replay or a burst of events reach a socket as
 * several frames in a row; written one by one, each is a `writev` of its own (and a wake-up of the
 * client for each). The first write of a turn corks the socket, and one `setImmediate` for all
 * sockets uncorks them once the turn's callbacks and promises have run: the frames go out
 * together, and no frame waits past the end of the turn that wrote it.
 */
import type { Duplex } from 'node:stream';

/** What can be corked for a turn: a socket's transport (none: nothing to do), and whether it is corked now. */
export interface BatchedTransport {
  readonly transport: Duplex | undefined;
  corked: boolean;
}

let corked: BatchedTransport[] = [];

/** Corks `transport` until the end of this turn of the event loop (once per turn). */
export function batchWrites(transport: BatchedTransport): void {
  if (transport.corked || transport.transport === undefined) return;
  transport.corked = true;
  transport.transport.cork();
  if (corked.push(transport) === 1) setImmediate(uncorkAll);
}

function uncorkAll(): void {
  const list = corked;
  corked = [];
  for (const owner of list) {
    owner.corked = false;
    // A stream destroyed meanwhile drops what it held; uncork is harmless then.
    owner.transport?.uncork();
  }
}
