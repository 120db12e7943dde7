/** Every row of every table of a database, in a form two snapshots can be compared in: what a data migration must keep. */
import type { MikroORM } from '@mikro-orm/core';

/** A row as JSON with its columns in name order. */
export function canonicalRow(row: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(row).sort().map(key => [key, row[key]])));
}

/** Table → its rows (canonical JSON, sorted), for every table but MikroORM's migrations table. */
export async function tableRows(orm: MikroORM): Promise<Record<string, string[]>> {
  const connection = orm.em.getConnection();
  const tables = await connection.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations' order by table_name`,
  );
  const out: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await connection.execute<Record<string, unknown>[]>(`select * from "${table}"`);
    out[table] = rows.map(canonicalRow).sort();
  }
  return out;
}
