/**
 * Which files of a migrations folder are migrations, one rule for every reader (the scanner of
 * `chat-migrate`, the migrator that imports them, the check for stale compiled ones): modules,
 * TypeScript or JavaScript of any module kind, not declarations, source maps, snapshots or dotfiles.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const MIGRATION_FILE = /^(?!.*\.d\.[cm]?ts$)[^.].*\.(ts|mts|cts|js|mjs|cjs)$/;
const TYPESCRIPT = /\.[cm]?ts$/;

/** Whether `file` (a path or a name) is a TypeScript migration source. */
export function isTypeScriptMigration(file: string): boolean {
  return TYPESCRIPT.test(file);
}

/** The migration files of a folder (a missing folder: none), sorted. */
export function listMigrationFiles(dir: string): string[] {
  return migrationFileNames(dir).map(name => join(dir, name));
}

/** The names of the migration files of a folder (a missing folder: none), sorted. */
export function migrationFileNames(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter(entry => MIGRATION_FILE.test(entry.name) && isFile(dir, entry))
    .map(entry => entry.name)
    .sort();
}

/** A file, or a link to one (a symlinked migration counts; a folder named like a module does not). */
function isFile(dir: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isFile();
  } catch {
    return false; // a dangling link
  }
}

/** The migration files this process can import: all of them where it imports TypeScript, else the JavaScript ones. */
export function runnableMigrationFiles(dir: string, typescript: boolean): string[] {
  const files = listMigrationFiles(dir);
  return typescript ? files : files.filter(file => !isTypeScriptMigration(file));
}
