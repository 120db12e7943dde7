/**
 * Applies `fix`'s repoints to the files: each a replacement of one string literal's text, checked
 * against what the file holds now, written atomically; all files or none. A symlinked migration
 * is edited where it points, and the link stays a link.
 */
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeAllOrNone } from './atomic-write.js';
import { CliError } from './cli-error.js';
import type { Repoint } from './repoint.js';

/** A file before and after its edits. */
export interface FileEdit {
  /** The file as the migrations folder lists it. */
  readonly file: string;
  /** Where its bytes live: the file itself, or the target of a symlink. */
  readonly target: string;
  readonly before: string;
  readonly after: string;
}

const TO = '0001_initial';

/** Reads each file and applies its repoints in memory; refuses if a file changed since it was read. */
export function prepareEdits(repoints: readonly Repoint[]): FileEdit[] {
  const byFile = new Map<string, Repoint[]>();
  for (const repoint of repoints) byFile.set(repoint.file, [...(byFile.get(repoint.file) ?? []), repoint]);
  return [...byFile].map(([file, edits]) => {
    const target = realpathSync(file);
    const before = readFileSync(target, 'utf8');
    let after = before;
    for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start)) {
      const current = after.slice(edit.span.start, edit.span.end);
      if (current !== edit.written) {
        throw new CliError(1, `${file}:${edit.line}: expected '${edit.written}' here but found '${current}': the file changed while chat-migrate ran; run it again`);
      }
      after = after.slice(0, edit.span.start) + TO + after.slice(edit.span.end);
    }
    return { file, target, before, after };
  });
}

/** Writes every edit, or none: checks all files are writable first, and restores the written ones if a later write fails. */
export function writeEdits(edits: readonly FileEdit[]): void {
  const blocked: string[] = [];
  for (const { file, target } of edits) {
    try {
      accessSync(target, constants.W_OK);
      accessSync(dirname(target), constants.W_OK);
      // A file with no write bit is read-only on purpose, even for a user the system lets write it (root).
      if ((statSync(target).mode & 0o222) === 0) blocked.push(file);
    } catch {
      blocked.push(file);
    }
  }
  if (blocked.length > 0) {
    throw CliError.io(`cannot write ${blocked.join(', ')} (read-only): nothing was changed. Make the file${blocked.length > 1 ? 's' : ''} writable and run chat-migrate fix again`);
  }
  try {
    writeAllOrNone(edits.map(edit => ({ file: edit.target, content: edit.after, before: edit.before })));
  } catch (error) {
    throw CliError.io(`cannot write: ${(error as Error).message}; the files written so far were restored, nothing was changed`);
  }
}
