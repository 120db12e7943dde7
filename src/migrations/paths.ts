/** Path helpers shared by the migration tool (POSIX separators in messages). */
import { relative, sep } from 'node:path';

/** `file` as a message shows it: relative to `root`, or from `node_modules/` on for an installed package's file. */
export function relativeTo(root: string, file: string): string {
  const inModules = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (inModules >= 0 && !file.startsWith(root + sep)) return file.slice(inModules + 1).split(sep).join('/');
  return relative(root, file).split(sep).join('/') || file;
}
