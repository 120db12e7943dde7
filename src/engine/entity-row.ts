/**
 * The row an entity would be stored as, read from MikroORM's metadata: its table, columns and
 * database values (custom types converted, relations as keys). This is what lets the engine
 * write a swapped model's own table and custom fields in a hand-built statement, without the
 * unit of work.
 */
import { Reference, ReferenceKind, wrap, type EntityManager, type EntityProperty } from '@mikro-orm/core';
import { namesOf } from './sql-names.js';

/** One row to insert. */
export interface EntityRow {
  readonly table: string;
  readonly columns: string[];
  readonly values: unknown[];
  /** Each column's database type, as the metadata declares it (for typed array parameters). */
  readonly types: string[];
}

function stored(prop: EntityProperty): boolean {
  if (prop.persist === false || prop.formula) return false;
  if (prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) return false;
  if (prop.kind === ReferenceKind.ONE_TO_ONE && !prop.owner) return false;
  // An inline embeddable is stored through its own properties (flattened into the entity's).
  if (prop.kind === ReferenceKind.EMBEDDED && !prop.object) return false;
  return true;
}

function valueOf(entity: object, prop: EntityProperty): unknown {
  if (prop.embedded) {
    const [owner, field] = prop.embedded;
    const embeddable: unknown = Reflect.get(entity, owner);
    return typeof embeddable === 'object' && embeddable !== null ? Reflect.get(embeddable, field) : undefined;
  }
  return Reflect.get(entity, prop.name);
}

/** The row `entity` is stored as; properties left undefined are left to the column's default. */
export function entityRow(em: EntityManager, entity: object): EntityRow {
  const meta = wrap(entity, true).__meta;
  const platform = em.getPlatform();
  const columns: string[] = [];
  const values: unknown[] = [];
  const types: string[] = [];
  for (const prop of meta.props) {
    if (!stored(prop)) continue;
    let value = valueOf(entity, prop);
    if (value === undefined) continue;
    if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
      // A relation holds an entity or a reference to one; a bare key (or null) is stored as it is.
      if (typeof value === 'object' && value !== null) value = wrap(Reference.unwrapReference(value), true).getPrimaryKey();
    } else if (prop.customType && value !== null) {
      value = prop.customType.convertToDatabaseValue(value, platform, { mode: 'query-data' });
    }
    columns.push(prop.fieldNames[0]!);
    values.push(value);
    types.push(String(prop.columnTypes?.[0] ?? ''));
  }
  return { table: namesOf(em, meta.class).table, columns, values, types };
}
