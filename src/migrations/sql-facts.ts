/**
 * Reads what literal SQL statements create and need: tables and constraint/index names. It knows
 * the statements MikroORM's schema generator writes for PostgreSQL; anything else is ignored.
 */
import type { SqlFacts } from './types.js';

const IDENT = String.raw`(?:"[^"]+"\.)?"([^"]+)"`;
const patterns = {
  createTable: new RegExp(String.raw`create\s+table\s+(?:if\s+not\s+exists\s+)?${IDENT}`, 'gi'),
  alterTable: new RegExp(String.raw`alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${IDENT}`, 'gi'),
  references: new RegExp(String.raw`references\s+${IDENT}`, 'gi'),
  createIndex: new RegExp(String.raw`create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${IDENT}\s+on\s+(?:only\s+)?${IDENT}`, 'gi'),
  addConstraint: new RegExp(String.raw`add\s+constraint\s+${IDENT}`, 'gi'),
  dropConstraint: new RegExp(String.raw`drop\s+constraint\s+(?:if\s+exists\s+)?${IDENT}`, 'gi'),
  dropIndex: new RegExp(String.raw`drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?${IDENT}`, 'gi'),
  renameConstraint: new RegExp(String.raw`rename\s+constraint\s+${IDENT}`, 'gi'),
  alterIndex: new RegExp(String.raw`alter\s+index\s+(?:if\s+exists\s+)?${IDENT}`, 'gi'),
  dropTable: new RegExp(String.raw`drop\s+table\s+(?:if\s+exists\s+)?${IDENT}`, 'gi'),
};

function all(re: RegExp, text: string, group = 1): string[] {
  return [...text.matchAll(re)].map(m => m[group]!);
}

/** The facts of a list of statements, in order (a table created earlier is not needed later). */
export function sqlFactsOf(statements: readonly string[]): Omit<SqlFacts, 'dynamicAt'> {
  const createsTables = new Set<string>();
  const createsNames = new Set<string>();
  const needsTables = new Set<string>();
  const needsNames = new Set<string>();
  const need = (table: string) => {
    if (!createsTables.has(table)) needsTables.add(table);
  };
  const needName = (name: string) => {
    if (!createsNames.has(name)) needsNames.add(name);
  };
  for (const statement of statements) {
    for (const table of all(patterns.createTable, statement)) createsTables.add(table);
    for (const table of all(patterns.alterTable, statement)) need(table);
    for (const table of all(patterns.references, statement)) need(table);
    for (const table of all(patterns.dropTable, statement)) need(table);
    for (const match of statement.matchAll(patterns.createIndex)) {
      createsNames.add(match[1]!);
      need(match[2]!);
    }
    for (const name of all(patterns.addConstraint, statement)) createsNames.add(name);
    for (const name of all(patterns.dropConstraint, statement)) needName(name);
    for (const name of all(patterns.dropIndex, statement)) needName(name);
    for (const name of all(patterns.renameConstraint, statement)) needName(name);
    for (const name of all(patterns.alterIndex, statement)) needName(name);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { createsTables: sorted(createsTables), createsNames: sorted(createsNames), needsTables: sorted(needsTables), needsNames: sorted(needsNames) };
}
