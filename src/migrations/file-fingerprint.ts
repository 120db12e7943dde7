/**
 * What a cache entry remembers of the file it was read from: size, modification time and a hash
 * of the content. An unchanged file is recognised by its size and time without reading it; a file
 * with another time (a fresh checkout, a restored CI cache) by its content.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';

/** Size, modification time and content hash of a file. */
export interface Fingerprint {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha1: string;
}

/** The hash a fingerprint holds, of a file's text. */
export function contentHash(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The fingerprint of a file whose text (and stat) were just read. */
export function fingerprintOf(stat: Stats, text: string | Buffer): Fingerprint {
  return { size: stat.size, mtimeMs: stat.mtimeMs, sha1: contentHash(text) };
}

/**
 * Whether the file still has the remembered content; the fingerprint to remember from now on
 * (its time updated) when it has, `undefined` when it has not or is gone.
 */
export function stillThere(file: string, remembered: Fingerprint, stat?: Stats): Fingerprint | undefined {
  try {
    const now = stat ?? statSync(file);
    if (now.size !== remembered.size) return undefined;
    if (now.mtimeMs === remembered.mtimeMs) return remembered;
    return contentHash(readFileSync(file)) === remembered.sha1 ? { ...remembered, mtimeMs: now.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
