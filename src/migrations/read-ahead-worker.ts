/**
 * The worker of `FilesReadAhead`: reads its files in order and posts them in batches, each
 * file's buffer transferred (not copied), or what reading it threw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Posted, ReadAheadWork } from './read-ahead.js';
import { readFileWithStat } from './read-file.js';

const { files, hash, batchSize } = workerData as ReadAheadWork;
let batch: Posted[] = [];
let transfer: ArrayBuffer[] = [];
for (let i = 0; i < files.length; i++) {
  try {
    const { bytes, mtimeMs, sha1 } = readFileWithStat(files[i]!, hash);
    // An empty file's buffer may be shared: it goes as nothing (a buffer listed twice cannot be transferred).
    const buffer = bytes.length > 0 ? (bytes.buffer as ArrayBuffer) : undefined;
    batch.push({ buffer, length: bytes.length, mtimeMs, sha1 });
    if (buffer) transfer.push(buffer);
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    batch.push({ error: { message, ...(code ? { code } : {}) } });
  }
  if (batch.length === batchSize || i === files.length - 1) {
    parentPort!.postMessage(batch, transfer);
    batch = [];
    transfer = [];
  }
}
