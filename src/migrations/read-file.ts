/** One file read with its size, modification time and (when asked) content hash, in one open. */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A file as read: its bytes, and what the cache remembers of it. */
export interface FileRead {
  readonly bytes: Buffer;
  readonly size: number;
  readonly mtimeMs: number;
  /** The SHA-1 of the bytes (hex); empty when not asked for. */
  readonly sha1: string;
}

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
