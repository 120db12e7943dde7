/**
 * Many rows of one entity class in one INSERT whose text does not depend on their number: each
 * column travels as one typed array through `unnest`, so PostgreSQL plans the statement once per
 * connection (see `prepared.ts`). Rows built by `entityRow`.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { EntityRow } from './entity-row.js';
import { preparedSql } from './prepared.js';

/** Whether rows of these column types can travel as typed arrays (a column that is itself an array, or has no declared type, cannot). */
export function arrayTypes(types: readonly string[]): boolean {
  return types.every(type => type !== '' && !type.includes('[') && !type.includes('"'));
}

/**
 * Inserts `rows` (one class, the same columns each) and returns the `returning` column of each, in
 * their order. Rows whose columns differ, or cannot travel as arrays, go in one INSERT each.
 */
export async function insertRows(em: EntityManager, rows: readonly EntityRow[], returning: string): Promise<unknown[]> {
  const first = rows[0];
  if (!first) return [];
  const same = rows.every(row => row.table === first.table && row.columns.join() === first.columns.join());
  if (!same || !arrayTypes(first.types)) {
    const out: unknown[] = [];
    for (const row of rows) {
      const text = `insert into ${row.table} (${row.columns.join(', ')}) values (${row.columns.map(() => '?').join(', ')}) returning ${returning} as value`;
      const [inserted] = await preparedSql<{ value: unknown }>(em, text, row.values);
      out.push(inserted?.value);
    }
    return out;
  }
  const arrays = first.types.map(type => `?::${type}[]`).join(', ');
  const columns = first.columns.join(', ');
  // `with ordinality` and the ORDER BY keep the rows (and so what RETURNING gives back) in the given order.
  const text =
    `insert into ${first.table} (${columns}) select ${first.columns.map((_, i) => `c${i}`).join(', ')}` +
    ` from unnest(${arrays}) with ordinality as i(${first.columns.map((_, i) => `c${i}`).join(', ')}, ord) order by ord returning ${returning} as value`;
  const inserted = await preparedSql<{ value: unknown }>(em, text, first.columns.map((_, j) => rows.map(row => row.values[j])));
  return inserted.map(row => row.value);
}
