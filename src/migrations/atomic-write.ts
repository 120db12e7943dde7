/** Writing files so that a reader sees the old content or the new, never half of either. */
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `content` to `file` through a temporary file in the same folder and a rename, keeping the file's mode. */
export function writeFileAtomic(file: string, content: string): void {
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // a new file: default mode
  }
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/** A file to write: its path, its new content, and what it held before (`undefined`: it did not exist). */
export interface FileWrite {
  readonly file: string;
  readonly content: string;
  readonly before?: string;
}

/**
 * Writes every file atomically, or none: when one write fails, the files already written are put
 * back as they were (last first: restored, or removed if they were new), and the error is rethrown.
 */
export function writeAllOrNone(writes: readonly FileWrite[]): void {
  const written: FileWrite[] = [];
  try {
    for (const write of writes) {
      writeFileAtomic(write.file, write.content);
      written.push(write);
    }
  } catch (error) {
    undoWrites(written);
    throw error;
  }
}

/** Puts written files back as they were (last first: restored, or removed if they were new). */
export function undoWrites(writes: readonly FileWrite[]): void {
  for (const write of [...writes].reverse()) {
    if (write.before === undefined) unlinkSync(write.file);
    else writeFileAtomic(write.file, write.before);
  }
}
