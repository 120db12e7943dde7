/**
 * Reads a list of files on a worker thread while the caller parses them in order: on a project
 * of thousands of migrations to parse, opening and reading the files (system calls, most of it)
 * overlaps with parsing them on the main thread instead of coming before each parse. The worker
 * also takes each file's size, modification time and content hash, which the cache keeps. Below a
 * few hundred files a worker costs more than it saves: the files are read in place.
 *
 * Only files to parse are worth it: checking files the cache knows is system calls and little
 * else, which a worker does no faster (measured: a warm check of 4,000 files 0.1 s slower).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** A file as read: its bytes, and what the cache remembers of it. */
export interface FileRead {
  readonly bytes: Buffer;
  readonly size: number;
  readonly mtimeMs: number;
  /** The SHA-1 of the bytes (hex); empty when not asked for. */
  readonly sha1: string;
}

/** From this many files on, they are read on a worker thread. */
export const READ_AHEAD_FROM = 600;

/** Files read per message from the worker. */
const BATCH = 64;

/** One file read with its stat and (when asked) hash; throws as `readFileSync` would. */
export function readFileWithStat(file: string, hash: boolean): FileRead {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    const bytes = Buffer.allocUnsafeSlow(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const got = readSync(fd, bytes, at, bytes.length - at, null);
      if (got === 0) break;
      at += got;
    }
    const read = at === bytes.length ? bytes : bytes.subarray(0, at);
    return { bytes: read, size: read.length, mtimeMs: stat.mtimeMs, sha1: hash ? createHash('sha1').update(read).digest('hex') : '' };
  } finally {
    closeSync(fd);
  }
}

/** What the worker runs: the same reads as `readFileWithStat`, posted in batches with their buffers transferred. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { files, hash, batchSize } = workerData;
let batch = [];
let transfer = [];
for (let i = 0; i < files.length; i++) {
  let fd;
  try {
    fd = openSync(files[i], 'r');
    const stat = fstatSync(fd);
    const bytes = Buffer.allocUnsafeSlow(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const got = readSync(fd, bytes, at, bytes.length - at, null);
      if (got === 0) break;
      at += got;
    }
    const sha1 = hash ? createHash('sha1').update(bytes.subarray(0, at)).digest('hex') : '';
    // An empty file's buffer may be shared: it goes as nothing (a buffer listed twice cannot be transferred).
    batch.push({ buffer: at > 0 ? bytes.buffer : undefined, length: at, mtimeMs: stat.mtimeMs, sha1 });
    if (at > 0) transfer.push(bytes.buffer);
  } catch (error) {
    batch.push({ error: { message: error.message, code: error.code } });
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (batch.length === batchSize || i === files.length - 1) {
      parentPort.postMessage(batch, transfer);
      batch = [];
      transfer = [];
    }
  }
}
`;

interface Posted {
  readonly buffer?: ArrayBuffer;
  readonly length?: number;
  readonly mtimeMs?: number;
  readonly sha1?: string;
  readonly error?: { message: string; code?: string };
}

/** The files of a list, each once and in order: `next()` gives the next one, read or being read. */
export class FilesReadAhead {
  private readonly results: (FileRead | Error)[] = [];
  private readonly worker: Worker | undefined;
  private waiting: (() => void) | undefined;
  private failed: Error | undefined;
  private taken = 0;

  /** Starts reading `files` (on a worker from `readAheadFrom` files on); `hash`: compute each file's SHA-1. */
  constructor(
    private readonly files: readonly string[],
    private readonly hash: boolean,
    readAheadFrom = READ_AHEAD_FROM,
  ) {
    if (files.length === 0 || files.length < readAheadFrom) return;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { files, hash, batchSize: BATCH } });
    this.worker.on('message', (batch: Posted[]) => {
      for (const posted of batch) this.results.push(posted.error ? Object.assign(new Error(posted.error.message), { code: posted.error.code }) : received(posted));
      this.wake();
    });
    this.worker.on('error', error => {
      this.failed = error;
      this.wake();
    });
    this.worker.on('exit', () => {
      this.failed ??= this.results.length < files.length ? new Error('the file reader stopped before reading every file') : undefined;
      this.wake();
    });
  }

  /** The next file of the list; throws what reading it threw. */
  async next(): Promise<FileRead> {
    const index = this.taken++;
    if (!this.worker) return readFileWithStat(this.files[index]!, this.hash);
    while (this.results.length <= index) {
      if (this.failed) throw this.failed;
      await new Promise<void>(resolve => (this.waiting = resolve));
    }
    const result = this.results[index]!;
    // The buffer goes to the caller; the list forgets it (40,000 files would otherwise stay in memory).
    (this.results as unknown[])[index] = undefined;
    if (result instanceof Error) throw result;
    return result;
  }

  /** Stops the worker (whatever it had not read yet is not needed). */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

function received(posted: Posted): FileRead {
  const bytes = posted.buffer ? Buffer.from(posted.buffer, 0, posted.length!) : Buffer.alloc(0);
  return { bytes, size: bytes.length, mtimeMs: posted.mtimeMs!, sha1: posted.sha1! };
}
