/** Path helpers shared by the migration tool (POSIX separators in messages). */
import { relative, sep } from 'node:path';

/** `file` relative to `root` when it lies below it, else as given. */
export function relativeTo(root: string, file: string): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file;
}
