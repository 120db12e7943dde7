/**
 * Table and column names of the configured models, read from MikroORM's metadata, for the few
 * statements the engine writes by hand. A swapped model's own table and columns come out, so
 * hand-written SQL stays swappable.
 */
import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { propertyOf } from '../orm/property-of.js';
import { model } from '../swappable/registry.js';
import type { SwapToken } from '../swappable/tokens.js';

/** The names of one model's table. */
export interface TableNames {
  /** The table, schema-qualified when the model names a schema. */
  readonly table: string;
  /** The column of a property (its first, for a composite one). */
  column(property: string): string;
  /** The primary key column. */
  readonly id: string;
  /** A many-to-many property's pivot table and its two columns (this side, the other side). */
  pivot(property: string): { table: string; owner: string; target: string };
}

/** The names of an entity class's table. */
export function namesOf(em: EntityManager, entity: Function): TableNames {
  return namesOfMeta(em.getMetadata().find(entity.name)!);
}

/** The names of the table of whatever class the settings name for `token`. */
export function namesOfModel(em: EntityManager, token: SwapToken): TableNames {
  return namesOf(em, model(token));
}

function namesOfMeta(meta: EntityMetadata): TableNames {
  const qualified = (name: string) => (meta.schema && meta.schema !== '*' ? `${meta.schema}.${name}` : name);
  const column = (property: string) => propertyOf(meta, property)!.fieldNames[0]!;
  return {
    table: qualified(meta.tableName),
    column,
    id: column(meta.primaryKeys[0]!),
    pivot: property => {
      const prop = propertyOf(meta, property)!;
      return { table: prop.pivotTable, owner: prop.joinColumns[0]!, target: prop.inverseJoinColumns[0]! };
    },
  };
}
