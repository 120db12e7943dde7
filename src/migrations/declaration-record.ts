/**
 * A migration's declaration in few objects and without the file name repeated (the file is the
 * key): the form the declaration caches store, where on tens of thousands of files the size is the
 * warm run's cost.
 */
import { migrationNameOf } from './parse.js';
import type { Fingerprint } from './file-fingerprint.js';
import type { MigrationDeclaration, ParseFailure } from './types.js';
import type { SwapToken } from '../swappable/tokens.js';

type CompactDependency = [app: string, name: string, line: number, start: number] | [token: string, line: number];
type CompactSql = [createsTables: string[], createsNames: string[], needsTables: string[], needsNames: string[], dynamicLine?: number];
export interface DeclarationRecord {
  /** Size, modification time and content hash of the file it was read from (see `file-fingerprint.ts`). */
  readonly s: number;
  readonly m: number;
  readonly h: string;
  /** A declaration: app, class, line of app, dependencies, SQL facts. */
  readonly d?: [app: string, className: string, appLine: number, dependencies: CompactDependency[], sql: CompactSql, swaps?: SwapToken[]];
  /** A parse failure: line, column, message. */
  readonly f?: [line: number, column: number, message: string];
}

/** The record of a file's declaration (or parse failure), with the file's fingerprint. */
export function compact(file: Fingerprint, result: MigrationDeclaration | ParseFailure): DeclarationRecord {
  const { size: s, mtimeMs: m, sha1: h } = file;
  if ('message' in result) return { s, m, h, f: [result.line, result.column, result.message] };
  const deps = result.dependencies.map((d): CompactDependency => (d.kind === 'migration' ? [d.app, d.name, d.at.line, d.nameSpan.start] : [d.token, d.at.line]));
  const { createsTables, createsNames, needsTables, needsNames, dynamicAt } = result.sql;
  const sql: CompactSql = [createsTables as string[], createsNames as string[], needsTables as string[], needsNames as string[]];
  if (dynamicAt) sql.push(dynamicAt.line);
  const d: NonNullable<DeclarationRecord['d']> = [result.app, result.className, result.appAt.line, deps, sql];
  if (result.swaps) d.push([...result.swaps]);
  return { s, m, h, d };
}

/** The declaration (or parse failure) a record holds, for this file. */
export function expand(file: string, entry: DeclarationRecord): MigrationDeclaration | ParseFailure {
  if (entry.f) return { file, line: entry.f[0], column: entry.f[1], message: entry.f[2] };
  const [app, className, appLine, deps, sql, swaps] = entry.d!;
  return {
    app,
    name: migrationNameOf(file),
    file,
    className,
    appAt: { file, line: appLine },
    dependencies: deps.map(d =>
      d.length === 4
        ? { kind: 'migration' as const, app: d[0], name: d[1], at: { file, line: d[2] }, nameSpan: { start: d[3], end: d[3] + d[1].length } }
        : { kind: 'swappable' as const, token: d[0] as SwapToken, at: { file, line: d[1] } },
    ),
    sql: {
      createsTables: sql[0],
      createsNames: sql[1],
      needsTables: sql[2],
      needsNames: sql[3],
      ...(sql[4] !== undefined ? { dynamicAt: { file, line: sql[4] } } : {}),
    },
    ...(swaps ? { swaps } : {}),
  };
}
