/** Reads the live schema: which tables exist, their columns, and where foreign keys point. */
import type { MikroORM } from '@mikro-orm/core';

/** The tables of the public schema, sorted. */
export async function tableNames(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em.fork().getConnection().execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return (rows as { table_name: string }[]).map(r => r.table_name);
}

/** The columns of a table, sorted. */
export async function columnNames(orm: MikroORM, table: string): Promise<string[]> {
  const rows = await orm.em.fork().getConnection().execute<{ column_name: string }[]>(
    `select column_name from information_schema.columns where table_schema = 'public' and table_name = ? order by column_name`,
    [table],
  );
  return (rows as { column_name: string }[]).map(r => r.column_name);
}

/** The table a foreign key column points at. */
export async function foreignKeyTarget(orm: MikroORM, table: string, column: string): Promise<string | undefined> {
  const rows = await orm.em.fork().getConnection().execute<{ target: string }[]>(
    `select ccu.table_name as target
       from information_schema.key_column_usage kcu
       join information_schema.referential_constraints rc on rc.constraint_name = kcu.constraint_name
       join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
      where kcu.table_schema = 'public' and kcu.table_name = ? and kcu.column_name = ?`,
    [table, column],
  );
  return rows[0]?.target;
}

/** The leading column of each index of a table (what a lookup by that column alone can use). */
export async function leadingIndexColumns(orm: MikroORM, table: string): Promise<string[]> {
  const rows = await orm.em.fork().getConnection().execute<{ column: string }[]>(
    `select a.attname as column from pg_index i
       join pg_class c on c.oid = i.indrelid
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where c.relname = ? order by 1`,
    [table],
  );
  return (rows as { column: string }[]).map(r => r.column);
}

/** The pivot tables of the many-to-many relations owned by the entities MikroORM discovered, with their user-side column. */
export function pivotTargets(orm: MikroORM): { table: string; column: string }[] {
  const pivots = new Map<string, string>();
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    for (const prop of meta.relations) {
      if (prop.kind === 'm:n' && prop.owner && prop.pivotTable) pivots.set(prop.pivotTable, prop.inverseJoinColumns[0]!);
    }
  }
  return [...pivots].map(([table, column]) => ({ table, column })).sort((a, b) => a.table.localeCompare(b.table));
}
