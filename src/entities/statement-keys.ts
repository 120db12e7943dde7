/**
 * Statement-level foreign keys for the recipients of the default chat notification.
 *
 * A message to a room of a hundred stores one notification and 99 recipient rows. PostgreSQL checks
 * a foreign key row by row: a trigger call and an index probe per row and key, about half of the
 * database's CPU per sent message. Here the two keys of that pivot are checked once per statement
 * instead: the statement's distinct ids are looked up with one `= any(...)` probe per referenced
 * table, locked `for key share` as a foreign key locks them (a concurrent delete of a referenced row
 * waits, then cascades over the new rows; a delete that came first makes the check fail). Deletes,
 * key changes and truncation of the referenced tables cascade as `on delete cascade on update
 * cascade` did. A missing row raises `foreign_key_violation` (23503) naming the key.
 *
 * Only the default `ChatNotification` gets them: a custom notification class keeps MikroORM's
 * foreign keys, created by its app's own migrations.
 */
import { createHash } from 'node:crypto';
import { ReferenceKind, type EntityManager, type EntityMetadata, type MetadataStorage, type NamingStrategy } from '@mikro-orm/core';
import { quoteIdentifier as quote, quoteLiteral as literal } from '../sql/quote.js';
import { ChatNotification } from './chat-notification.js';

/** One key of a pivot table, checked per statement. */
export interface StatementKey {
  /** The name MikroORM gives the foreign key it replaces (the functions and triggers are named after it). */
  readonly name: string;
  readonly table: string;
  readonly column: string;
  readonly columnType: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
}

const marked = new WeakSet<EntityMetadata>();

/** Whether the recipients pivot of this notification class is checked per statement (the default's only). */
export function hasStatementKeys(cls: unknown): boolean {
  return cls === ChatNotification;
}

/** The name of the key on `column` of pivot `table`: the foreign key's name, which its functions and triggers carry. */
export function statementKeyName(naming: NamingStrategy, table: string, column: string): string {
  return naming.indexName(table, [column], 'foreign');
}

/** The pivot tables whose keys are checked per statement: the default notification's recipients. Run after discovery. */
export function markStatementKeys(storage: MetadataStorage): void {
  for (const meta of Object.values(storage.getAll())) {
    if (!hasStatementKeys(meta.class)) continue;
    const prop = meta.properties.recipients;
    const pivot = prop?.pivotEntity ? storage.find(prop.pivotEntity) : undefined;
    if (!pivot) continue;
    for (const ref of Object.values(pivot.properties)) {
      if (ref.kind === ReferenceKind.MANY_TO_ONE) ref.createForeignKeyConstraint = false;
    }
    marked.add(pivot);
  }
}

/** The statement-level keys among these entities' tables. */
export function statementKeys(storage: MetadataStorage, naming: NamingStrategy): StatementKey[] {
  const keys: StatementKey[] = [];
  for (const pivot of Object.values(storage.getAll())) {
    if (!marked.has(pivot)) continue;
    for (const ref of Object.values(pivot.properties)) {
      if (ref.kind !== ReferenceKind.MANY_TO_ONE) continue;
      const column = ref.fieldNames[0]!;
      keys.push({
        name: statementKeyName(naming, pivot.tableName, column),
        table: pivot.tableName,
        column,
        columnType: ref.columnTypes[0]!,
        referencedTable: ref.referencedTableName.slice(ref.referencedTableName.lastIndexOf('.') + 1),
        referencedColumn: ref.referencedColumnNames[0]!,
      });
    }
  }
  return keys;
}

/** A name derived from the key's, within PostgreSQL's 63 bytes. */
function derived(key: string, suffix: string): string {
  const name = `${key}_${suffix}`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 8);
  return `${key.slice(0, 63 - suffix.length - hash.length - 2)}_${hash}_${suffix}`;
}

/** The functions of a key, by role (each but `check` also names the trigger that calls it). */
export function statementKeyFunctions(keyName: string): { check: string; cascade: string; rekey: string; truncate: string } {
  return { check: derived(keyName, 'check'), cascade: derived(keyName, 'cascade'), rekey: derived(keyName, 'rekey'), truncate: derived(keyName, 'truncate') };
}

/** The triggers that call a key's check, on its pivot. */
function checkTriggers(keyName: string): { insert: string; update: string } {
  return { insert: derived(keyName, 'insert'), update: derived(keyName, 'update') };
}

/**
 * The lookups of the functions below go through the keys' indexes whatever the tables' statistics
 * say. PL/pgSQL keeps a generic plan per query once it has run a few times: made while a table was
 * small (a new database, or one whose statistics are old), that plan scans the whole table, and
 * went on doing so on every statement as the table grew (a third of the database's CPU per sent
 * message in a benchmark with autovacuum off).
 */
const INDEX_PROBES = 'set enable_seqscan = off';

/** The statements that create one key (idempotent: functions and triggers are created or replaced). */
export function createStatementKeySql(key: StatementKey): string[] {
  const fn = statementKeyFunctions(key.name);
  const on = checkTriggers(key.name);
  const [table, column, referenced, referencedColumn] = [quote(key.table), quote(key.column), quote(key.referencedTable), quote(key.referencedColumn)];
  const violation =
    `raise foreign_key_violation using message = ${literal(`insert or update on table ${quote(key.table)} violates foreign key constraint ${quote(key.name)}`)}, ` +
    `detail = ${literal(`A key (${key.column}) is not present in table ${quote(key.referencedTable)}.`)}, table = ${literal(key.table)}, constraint = ${literal(key.name)}`;
  return [
    `create or replace function ${quote(fn.check)}() returns trigger language plpgsql ${INDEX_PROBES} as $$ declare ids ${key.columnType}[]; begin ` +
      `select array_agg(distinct ${column}) into ids from new_rows; ` +
      `if cardinality(ids) > (select count(*) from (select 1 from ${referenced} where ${referencedColumn} = any(ids) for key share) found) then ${violation}; end if; ` +
      `return null; end $$;`,
    `create or replace trigger ${quote(on.insert)} after insert on ${table} referencing new table as new_rows for each statement execute function ${quote(fn.check)}();`,
    `create or replace trigger ${quote(on.update)} after update on ${table} referencing new table as new_rows for each statement execute function ${quote(fn.check)}();`,
    `create or replace function ${quote(fn.cascade)}() returns trigger language plpgsql ${INDEX_PROBES} as $$ begin ` +
      `delete from ${table} where ${column} = any(array(select ${referencedColumn} from old_rows)); return null; end $$;`,
    `create or replace trigger ${quote(fn.cascade)} after delete on ${referenced} referencing old table as old_rows for each statement execute function ${quote(fn.cascade)}();`,
    `create or replace function ${quote(fn.rekey)}() returns trigger language plpgsql ${INDEX_PROBES} as $$ begin ` +
      `update ${table} set ${column} = new.${referencedColumn} where ${column} = old.${referencedColumn}; return null; end $$;`,
    `create or replace trigger ${quote(fn.rekey)} after update of ${referencedColumn} on ${referenced} for each row when (old.${referencedColumn} is distinct from new.${referencedColumn}) execute function ${quote(fn.rekey)}();`,
    `create or replace function ${quote(fn.truncate)}() returns trigger language plpgsql as $$ begin truncate ${table}; return null; end $$;`,
    `create or replace trigger ${quote(fn.truncate)} after truncate on ${referenced} for each statement execute function ${quote(fn.truncate)}();`,
  ];
}

/** The statements that drop a key by name, wherever its triggers are (dropping a function drops the triggers calling it). */
export function dropStatementKeySql(keyName: string): string[] {
  return Object.values(statementKeyFunctions(keyName)).map(name => `drop function if exists ${quote(name)}() cascade;`);
}

/** The names of the triggers a key's creation makes (to tell whether a database has them). */
export function statementKeyTriggers(keyName: string): string[] {
  const fn = statementKeyFunctions(keyName);
  const on = checkTriggers(keyName);
  return [on.insert, on.update, fn.cascade, fn.rekey, fn.truncate];
}

/**
 * The statements that move a database whose recipients pivot still has the two row-level foreign
 * keys (migrated by an earlier version of the package) to the statement-level keys: for a
 * migration of the application's, `for (const sql of statementKeysUpgradeSql(this.getEntityManager())) this.addSql(sql)`.
 * Safe to run on a database that has them already.
 */
export function statementKeysUpgradeSql(em: EntityManager): string[] {
  return statementKeys(em.getMetadata(), em.config.getNamingStrategy()).flatMap(key => [
    `alter table ${quote(key.table)} drop constraint if exists ${quote(key.name)};`,
    ...createStatementKeySql(key),
  ]);
}
