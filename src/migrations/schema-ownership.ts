/**
 * Which app owns each part of the target schema: tables, columns, indexes, checks and foreign
 * keys. A table belongs to the app of its entity; on the shared room table, a column belongs to
 * the package when a package class brings it, else to the app of the custom room type that does.
 */
import { MetadataStorage, ReferenceKind, type EntityMetadata } from '@mikro-orm/core';
import type { CheckDef, DatabaseSchema, ForeignKey, IndexDef } from '@mikro-orm/postgresql';
import type { AppRegistry } from './apps.js';
import { PACKAGE_APP } from './types.js';

/** The owner of every part of one schema. */
export class SchemaOwnership {
  private readonly tables = new Map<string, string>();
  private readonly columns = new Map<string, Map<string, string>>();

  constructor(metadata: readonly EntityMetadata[], apps: AppRegistry) {
    const claims = new Map<string, Map<string, Set<string>>>();
    const claim = (table: string, column: string, app: string) => {
      const byColumn = claims.get(table) ?? new Map<string, Set<string>>();
      claims.set(table, byColumn);
      byColumn.set(column, (byColumn.get(column) ?? new Set()).add(app));
    };
    const pivotOwners = new Map<string, Set<string>>();
    for (const meta of metadata) {
      if (meta.pivotTable || meta.embeddable || (meta.abstract && !meta.discriminatorColumn)) continue;
      const app = apps.appOf(meta.class);
      if (meta.root === meta || !meta.discriminatorColumn) this.tables.set(meta.tableName, app);
      const isStiRoot = meta.root === meta && !!meta.discriminatorColumn;
      const own = isStiRoot ? new Set(Object.keys(MetadataStorage.getMetadataFromDecorator(meta.class).properties)) : undefined;
      for (const prop of meta.props) {
        if (own && !own.has(prop.name)) continue;
        if (prop.kind === ReferenceKind.MANY_TO_MANY && prop.owner && prop.pivotTable) {
          pivotOwners.set(prop.pivotTable, (pivotOwners.get(prop.pivotTable) ?? new Set()).add(app));
        }
        if (prop.persist === false || !prop.fieldNames) continue;
        if (prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) continue;
        for (const field of prop.fieldNames) claim(meta.tableName, field, app);
      }
    }
    for (const [table, owners] of pivotOwners) this.tables.set(table, preferPackage(owners));
    for (const [table, byColumn] of claims) {
      this.columns.set(table, new Map([...byColumn].map(([column, owners]) => [column, preferPackage(owners)])));
    }
  }

  /** The app owning a table. */
  tableOwner(table: string): string {
    return this.tables.get(table) ?? PACKAGE_APP;
  }

  /** The app owning a column (its table's owner unless another app's class brought it). */
  columnOwner(table: string, column: string): string {
    return this.columns.get(table)?.get(column) ?? this.tableOwner(table);
  }

  /** The app owning an index: the app of a column not owned by the table's app, else the table's. */
  indexOwner(table: string, index: IndexDef): string {
    if (index.primary) return this.tableOwner(table);
    return this.foreignColumnOwner(table, index.columnNames) ?? this.tableOwner(table);
  }

  /** The app owning a check constraint: its column's owner, else the table's. */
  checkOwner(table: string, check: CheckDef): string {
    return check.columnName ? this.columnOwner(table, check.columnName) : this.tableOwner(table);
  }

  /** The app owning a foreign key: the owner of its columns. */
  foreignKeyOwner(table: string, fk: ForeignKey): string {
    return this.foreignColumnOwner(table, fk.columnNames) ?? this.tableOwner(table);
  }

  /** Every table of the schema owned by `app`, sorted. */
  tablesOf(schema: DatabaseSchema, app: string): string[] {
    return schema.getTables().map(t => t.name).filter(t => this.tableOwner(t) === app).sort();
  }

  private foreignColumnOwner(table: string, columns: readonly string[]): string | undefined {
    const tableApp = this.tableOwner(table);
    return columns.map(c => this.columnOwner(table, c)).find(app => app !== tableApp);
  }
}

/** The package wins shared parts (it must create them for its own room types); else the first label. */
function preferPackage(owners: Set<string>): string {
  return owners.has(PACKAGE_APP) ? PACKAGE_APP : [...owners].sort()[0]!;
}
