/**
 * The synthetic migration graph that bench/dag measures, as data: apps of chained migrations with
 * cross-app and swappable dependencies and the guide's cycle in the two apps that own the swapped
 * Message and User. bench/dag renders it as a TypeScript project for chat-migrate and as a Django
 * project for Django's loader, so both tools load the same graph, edge for edge.
 */

/** Migrations per app. */
export const MIGRATIONS_PER_APP = 20;

/** One dependency of a synthetic migration. */
export type SyntheticDependency =
  | { readonly kind: 'migration'; readonly app: string; readonly name: string }
  | { readonly kind: 'swappable'; readonly token: 'User' | 'Message' };

/** The package's app label, as both tools spell it. */
export const PACKAGE_APP = 'realtime_chat_messaging';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** The label of app `i`. */
export const appName = (i: number) => `app${pad(i, 4)}`;
/** The name of the `i`-th migration of an app. */
export const migrationName = (i: number) => `Migration${pad(i, 2)}`;

/** An earlier app than `app`, spread over all of them (a fixed multiplicative hash, not always app 0). */
function earlierApp(app: number): number {
  let h = Math.imul(app ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % app;
}

/** The dependencies of migration `index` of app `app`. */
export function dependenciesOf(app: number, index: number): SyntheticDependency[] {
  const deps: SyntheticDependency[] = [];
  const migration = (a: number, i: number): SyntheticDependency => ({ kind: 'migration', app: appName(a), name: migrationName(i) });
  if (index > 0) deps.push(migration(app, index - 1));
  else {
    // Apps 0 and 1 own the swapped Message and User: as generated, they depend on 0002_initial (the guide's cycle).
    deps.push({ kind: 'migration', app: PACKAGE_APP, name: app < 2 ? '0002_initial' : '0001_initial' });
    if (app > 0) deps.push(migration(app - 1, MIGRATIONS_PER_APP / 2));
  }
  if (index === 0 && app >= 2) deps.push({ kind: 'swappable', token: 'User' });
  if (index === 5 && app % 5 === 0 && app >= 2) deps.push({ kind: 'swappable', token: 'Message' });
  if (index === 10 && app >= 3) deps.push(migration(earlierApp(app), MIGRATIONS_PER_APP - 1));
  return deps;
}
