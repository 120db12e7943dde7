/**
 * Reads what literal SQL statements create and need: tables and constraint/index names. It knows
 * the statements MikroORM's schema generator writes for PostgreSQL; anything else is ignored.
 */
import type { SqlFacts } from './types.js';

const ID = String.raw`(?:"[^"]+"\.)?"([^"]+)"`;
// One pass per statement: each alternative captures into its own groups.
const CLAUSES = new RegExp(
  [
    String.raw`create\s+table\s+(?:if\s+not\s+exists\s+)?${ID}`, // 1: created table
    String.raw`create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${ID}\s+on\s+(?:only\s+)?${ID}`, // 2: index, 3: its table
    String.raw`(?:alter|drop)\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}`, // 4: needed table
    String.raw`references\s+${ID}`, // 5: needed table
    String.raw`add\s+constraint\s+${ID}`, // 6: created name
    String.raw`(?:drop\s+constraint|rename\s+constraint|drop\s+index(?:\s+concurrently)?|alter\s+index)\s+(?:if\s+exists\s+)?${ID}`, // 7: needed name
  ].join('|'),
  'gi',
);

/** The facts of a list of statements, in order (a table created earlier is not needed later). */
export function sqlFactsOf(statements: readonly string[]): Omit<SqlFacts, 'dynamicAt'> {
  const createsTables = new Set<string>();
  const createsNames = new Set<string>();
  const needsTables = new Set<string>();
  const needsNames = new Set<string>();
  for (const statement of statements) {
    for (const m of statement.matchAll(CLAUSES)) {
      if (m[1]) createsTables.add(m[1]);
      else if (m[2]) {
        createsNames.add(m[2]);
        if (!createsTables.has(m[3]!)) needsTables.add(m[3]!);
      } else if (m[4] ?? m[5]) {
        const table = (m[4] ?? m[5])!;
        if (!createsTables.has(table)) needsTables.add(table);
      } else if (m[6]) createsNames.add(m[6]);
      else if (m[7] && !createsNames.has(m[7])) needsNames.add(m[7]);
    }
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { createsTables: sorted(createsTables), createsNames: sorted(createsNames), needsTables: sorted(needsTables), needsNames: sorted(needsNames) };
}
