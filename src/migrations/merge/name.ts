/**
 * The name of a merge migration, in the app's own naming scheme, sorted after every migration the
 * app has: `0004_merge` after numbered names (Django's, as the package's `0001_initial`), else
 * `Migration<timestamp>_merge`, what `npx mikro-orm-esm migration:create --name merge` writes.
 */
import { dateOfTimestamp, migrationTimestamp } from '../migration-timestamp.js';

/** A migration's name (its file name without extension) and its class's. */
export interface MigrationName {
  readonly name: string;
  readonly className: string;
}

const NUMBERED = /^(\d{4,})_\w+$/;
const TIMESTAMPED = /^Migration(\d{14})/;


/** The merge migration's name for an app whose migrations are named `existing`. */
export function mergeMigrationName(existing: readonly string[], now: Date = new Date()): MigrationName {
  const taken = new Set(existing);
  const numbers = existing.map(name => NUMBERED.exec(name)?.[1]);
  let candidate: MigrationName;
  if (existing.length > 0 && numbers.every(n => n !== undefined)) {
    const width = Math.max(...numbers.map(n => n!.length));
    const next = String(Math.max(...numbers.map(Number)) + 1).padStart(width, '0');
    candidate = { name: `${next}_merge`, className: `Migration${next}Merge` };
  } else {
    // Not before the app's latest stamp: a listing by name shows the merge after what it merges.
    const latest = existing.map(name => TIMESTAMPED.exec(name)?.[1]).filter((s): s is string => s !== undefined).sort().pop();
    const stamp = latest && latest >= migrationTimestamp(now) ? migrationTimestamp(new Date(dateOfTimestamp(latest).getTime() + 1000)) : migrationTimestamp(now);
    candidate = { name: `Migration${stamp}_merge`, className: `Migration${stamp}_merge` };
  }
  while (taken.has(candidate.name)) candidate = { name: `${candidate.name}_`, className: `${candidate.className}_` };
  return candidate;
}
