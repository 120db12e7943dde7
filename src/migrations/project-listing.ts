/**
 * Every migration file of a project's apps with its size and modification time, in app order:
 * what the scan reads (a file the declaration cache knows is recognised by these two) and what a
 * remembered `check` is keyed on.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { migrationFileNames } from './migration-files.js';
import type { ProjectFacts } from './project.js';

/** A migration file as listed: where it is, its key in the caches, its size and time (-1 when it went away meanwhile, or was not looked at). */
export interface ListedFile {
  readonly app: string;
  readonly file: string;
  /** Its path from the config's folder (a copy of a cache serves another checkout). */
  readonly key: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Lists the migration files of every app of `facts`, and stats them unless `stat` is false (nothing cached to recognise them by). */
export function listProject(facts: ProjectFacts, stat = true): ListedFile[] {
  const listed: ListedFile[] = [];
  for (const app of facts.apps) {
    // The folders' parts of every path, worked out once (path.join per file shows at 40,000 files).
    const folder = relative(facts.root, app.dir);
    const [dirPrefix, keyPrefix] = [join(app.dir, sep), folder === '' ? '' : join(folder, sep)];
    for (const name of migrationFileNames(app.dir)) {
      const file = dirPrefix + name;
      const stats = stat ? statSync(file, { throwIfNoEntry: false }) : undefined;
      listed.push({ app: app.label, file, key: keyPrefix + name, size: stats?.size ?? -1, mtimeMs: stats?.mtimeMs ?? -1 });
    }
  }
  return listed;
}

/** The labels of the apps whose migrations folder is not there. */
export function missingFolders(facts: ProjectFacts): Set<string> {
  return new Set(facts.apps.filter(app => !existsSync(app.dir)).map(app => app.label));
}
