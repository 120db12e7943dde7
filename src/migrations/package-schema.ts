/**
 * The SQL of the package's base migrations, computed at run time from the configured models, as
 * Django's swappable migrations are: `0001_initial` creates the package's tables with the keys
 * between its own tables; `0002_initial` adds the keys that point at a model another app owns
 * (a swapped User, Message or RoomProperty), once that app's first migration has run.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { DatabaseSchema, SqlSchemaGenerator } from '@mikro-orm/postgresql';
import { postgresql } from '../orm/postgresql.js';
import { activeApps, type AppRegistry } from './apps.js';
import { SchemaOwnership } from './schema-ownership.js';
import { emptySchemaLike, schemaDiffSql, sliceSchema, type SchemaPart } from './schema-slices.js';
import { createStatementKeySql, dropStatementKeySql, statementKeys } from '../entities/statement-keys.js';
import { tablesSwappedIn } from './swap/taken-over.js';
import { PACKAGE_APP, PACKAGE_FIRST_NAME, PACKAGE_SECOND_NAME } from './types.js';

/** A base migration of the package. */
export type PackageMigration = typeof PACKAGE_FIRST_NAME | typeof PACKAGE_SECOND_NAME;

/** The target schema of an ORM and who owns each part of it. */
export interface OwnedSchema {
  readonly generator: SqlSchemaGenerator;
  readonly full: DatabaseSchema;
  readonly ownership: SchemaOwnership;
}

/** Reads the target schema of the entity manager's ORM and the ownership of its parts. */
export function ownedSchema(em: EntityManager, apps: AppRegistry = activeApps()): OwnedSchema {
  const generator = new postgresql.SqlSchemaGenerator(em);
  const full = generator.getTargetSchema();
  const ownership = new SchemaOwnership(Object.values(em.getMetadata().getAll()), apps);
  return { generator, full, ownership };
}

/** The app owning a part of the schema. */
export function ownerOfPart(ownership: SchemaOwnership, part: SchemaPart): string {
  switch (part.kind) {
    case 'column':
      return ownership.columnOwner(part.table, part.column.name);
    case 'index':
      return ownership.indexOwner(part.table, part.index);
    case 'check':
      return ownership.checkOwner(part.table, part.check);
    case 'foreignKey':
      return ownership.foreignKeyOwner(part.table, part.foreignKey);
  }
}

/** A table name without its schema prefix. */
function bareTable(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * The schema once `0001_initial` (or `0002_initial`) has run. `swappedIn` are tables a swap
 * migration brings in: it adds the package's keys to them itself (see `swap/history.ts`).
 */
export function packageSchemaAfter(owned: OwnedSchema, migration: PackageMigration, swappedIn: ReadonlySet<string> = new Set()): DatabaseSchema {
  const { full, ownership } = owned;
  return sliceSchema(full, part => {
    if (ownerOfPart(ownership, part) !== PACKAGE_APP) return false;
    if (part.kind === 'foreignKey' && swappedIn.has(bareTable(part.foreignKey.referencedTableName))) return false;
    if (migration === PACKAGE_SECOND_NAME || part.kind !== 'foreignKey') return true;
    return ownership.tableOwner(bareTable(part.foreignKey.referencedTableName)) === PACKAGE_APP;
  });
}

/** The statements of one base migration, up and down. */
export async function packageMigrationSql(em: EntityManager, migration: PackageMigration): Promise<{ up: string[]; down: string[] }> {
  const owned = ownedSchema(em);
  const swappedIn = tablesSwappedIn(em);
  const afterFirst = packageSchemaAfter(owned, PACKAGE_FIRST_NAME, swappedIn);
  const sql =
    migration === PACKAGE_FIRST_NAME
      ? await schemaDiffSql(owned.generator, emptySchemaLike(owned.full), afterFirst)
      : await schemaDiffSql(owned.generator, afterFirst, packageSchemaAfter(owned, PACKAGE_SECOND_NAME, swappedIn));
  // The statement-level keys go where their foreign keys would: with the package's tables when
  // they point at one of them, else once the app owning the referenced table has created it.
  const keys = statementKeys(em.getMetadata(), em.config.getNamingStrategy()).filter(key => {
    if (owned.ownership.tableOwner(key.table) !== PACKAGE_APP || swappedIn.has(key.referencedTable)) return false;
    return (owned.ownership.tableOwner(key.referencedTable) === PACKAGE_APP) === (migration === PACKAGE_FIRST_NAME);
  });
  return { up: [...sql.up, ...keys.flatMap(createStatementKeySql)], down: [...keys.flatMap(key => dropStatementKeySql(key.name)), ...sql.down] };
}

/** What the migration tool needs to know of the base migrations, without running them. */
export function packageSchemaFacts(owned: OwnedSchema): { firstMigrationTables: string[]; secondMigrationNames: string[] } {
  const afterFirst = packageSchemaAfter(owned, PACKAGE_FIRST_NAME);
  const afterSecond = packageSchemaAfter(owned, PACKAGE_SECOND_NAME);
  const namesOf = (schema: DatabaseSchema) =>
    new Set(schema.getTables().flatMap(t => Object.values(t.getForeignKeys()).map(fk => fk.constraintName)));
  const first = namesOf(afterFirst);
  return {
    firstMigrationTables: afterFirst.getTables().map(t => t.name).sort(),
    secondMigrationNames: [...namesOf(afterSecond)].filter(name => !first.has(name)).sort(),
  };
}
