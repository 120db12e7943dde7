/**
 * Cuts a schema into the parts one migration is responsible for, and turns the difference
 * between two such schemas into SQL with MikroORM's own comparator and generator.
 */
import type { Column, DatabaseTable, ForeignKey, IndexDef, CheckDef } from '@mikro-orm/postgresql';
import type { DatabaseSchema, SqlSchemaGenerator } from '@mikro-orm/postgresql';
import { postgresql } from '../orm/postgresql.js';

/** One part of a table, as a filter sees it. */
export type SchemaPart =
  | { readonly kind: 'column'; readonly table: string; readonly column: Column }
  | { readonly kind: 'index'; readonly table: string; readonly index: IndexDef }
  | { readonly kind: 'check'; readonly table: string; readonly check: CheckDef }
  | { readonly kind: 'foreignKey'; readonly table: string; readonly foreignKey: ForeignKey };

interface TableInternals {
  columns: Record<string, Column>;
  indexes: IndexDef[];
  checks: CheckDef[];
  foreignKeys: Record<string, ForeignKey>;
}

function internals(table: DatabaseTable): TableInternals {
  return table as unknown as TableInternals;
}

/**
 * A copy of `schema` keeping the parts `keep` accepts; a table stays when it keeps a column.
 * `base`, when given, is merged in first (its parts are kept whole).
 */
export function sliceSchema(schema: DatabaseSchema, keep: (part: SchemaPart) => boolean, base?: DatabaseSchema): DatabaseSchema {
  const platform = (schema as unknown as { platform: ConstructorParameters<typeof postgresql.DatabaseSchema>[0] }).platform;
  const out = new postgresql.DatabaseSchema(platform, schema.name);
  out.setNativeEnums(schema.getNativeEnums());
  const tableFor = (source: DatabaseTable): TableInternals => {
    const existing = out.getTable(source.name);
    if (existing) return internals(existing);
    const created = internals(out.addTable(source.name, source.schema, source.comment));
    created.columns = {};
    created.indexes = [];
    created.checks = [];
    created.foreignKeys = {};
    return created;
  };
  for (const source of base?.getTables() ?? []) {
    const target = tableFor(source);
    const from = internals(source);
    Object.assign(target.columns, from.columns);
    target.indexes.push(...from.indexes);
    target.checks.push(...from.checks);
    Object.assign(target.foreignKeys, from.foreignKeys);
  }
  for (const source of schema.getTables()) {
    const from = internals(source);
    const columns = Object.values(from.columns).filter(column => keep({ kind: 'column', table: source.name, column }));
    const indexes = from.indexes.filter(index => keep({ kind: 'index', table: source.name, index }));
    const checks = from.checks.filter(check => keep({ kind: 'check', table: source.name, check }));
    const foreignKeys = Object.values(from.foreignKeys).filter(foreignKey => keep({ kind: 'foreignKey', table: source.name, foreignKey }));
    if (columns.length + indexes.length + checks.length + foreignKeys.length === 0) continue;
    const target = tableFor(source);
    for (const column of columns) target.columns[column.name] = column;
    for (const index of indexes) if (!target.indexes.some(i => i.keyName === index.keyName)) target.indexes.push(index);
    for (const check of checks) if (!target.checks.some(c => c.name === check.name)) target.checks.push(check);
    for (const fk of foreignKeys) target.foreignKeys[fk.constraintName] = fk;
  }
  return out;
}

/** An empty schema on the same platform. */
export function emptySchemaLike(schema: DatabaseSchema): DatabaseSchema {
  return sliceSchema(schema, () => false);
}

/** The SQL statements that turn `from` into `to` (and back), one statement per entry. */
export async function schemaDiffSql(generator: SqlSchemaGenerator, from: DatabaseSchema, to: DatabaseSchema): Promise<{ up: string[]; down: string[] }> {
  const comparator = new postgresql.SchemaComparator((generator as unknown as { platform: ConstructorParameters<typeof postgresql.SchemaComparator>[0] }).platform);
  const up = comparator.compare(from, to);
  const down = comparator.compare(to, from, up);
  const options = { wrap: false, safe: false, dropTables: true };
  return { up: splitStatements(await generator.diffToSQL(up, options)), down: splitStatements(await generator.diffToSQL(down, options)) };
}

/** Splits generated SQL into statements (semicolon at a line end, outside quotes). */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let buffer = '';
  for (const chunk of sql.split(/;\n/)) {
    buffer += (buffer ? ';\n' : '') + chunk;
    if (buffer.split("'").length % 2 === 0) continue;
    const trimmed = buffer.trim();
    if (trimmed) out.push(trimmed.endsWith(';') ? trimmed : `${trimmed};`);
    buffer = '';
  }
  return out;
}
