/** Path helpers shared by the migration tool (POSIX separators in messages). */
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the package's own migrations (`0001_initial`, `0002_initial`) in this installation. */
export const PACKAGE_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'base');

/** `file` as a message shows it: relative to `root`, or from `node_modules/` on for an installed package's file. */
export function relativeTo(root: string, file: string): string {
  const inModules = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (inModules >= 0 && !file.startsWith(root + sep)) return file.slice(inModules + 1).split(sep).join('/');
  return relative(root, file).split(sep).join('/') || file;
}

/** Whether `path` lies inside `root` (or is it). */
export function isInside(root: string, path: string): boolean {
  const from = relative(root, path);
  return from === '' || (!from.startsWith('..') && !from.startsWith(sep) && !/^[a-zA-Z]:/.test(from));
}
