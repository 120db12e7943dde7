/**
 * What a swap migration must do, read from the ORM's metadata and the package's schema: the
 * custom table to create, the rows to copy from the default table (and its pivot tables), the
 * package's keys to move onto the new table, the sequences to carry on, and the old tables to drop.
 */
import { MetadataStorage, ReferenceKind, type EntityMetadata, type MikroORM } from '@mikro-orm/core';
import type { DatabaseSchema } from '@mikro-orm/postgresql';
import { ABSTRACT_BASES } from '../../entities/index.js';
import { createStatementKeySql, dropStatementKeySql, hasStatementKeys, statementKeyName, statementKeys } from '../../entities/statement-keys.js';
import type { ChatSettings } from '../../settings/types.js';
import { defaultModel } from '../../swappable/registry.js';
import { isRoomToken, type SwapToken } from '../../swappable/tokens.js';
import type { AppRegistry } from '../apps.js';
import { dependenciesOf } from '../generator.js';
import type { MigrationGraph } from '../graph.js';
import { ownedSchema, ownerOfPart } from '../package-schema.js';
import { schemaDiffSql, sliceSchema, type SchemaPart } from '../schema-slices.js';
import { PACKAGE_APP } from '../types.js';
import { SwapError } from './swap-error.js';

/** Rows to copy from an old table into its new one, column for column. */
export interface TableCopy {
  readonly from: string;
  readonly to: string;
  readonly columns: readonly string[];
}

/** A key of the package's tables that points at the new table (it pointed at the old one). */
export interface MovedKey {
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
}

/** A migration dependency as it will be written. */
export type WrittenDependency = { readonly kind: 'migration'; readonly app: string; readonly name: string } | { readonly kind: 'swappable'; readonly token: string };

/** Everything the swap migration of one token does, in order. */
export interface SwapPlan {
  readonly token: SwapToken;
  readonly app: string;
  readonly className: string;
  readonly oldTable: string;
  readonly newTable: string;
  readonly dependencies: readonly WrittenDependency[];
  /** `create table` and `create index` of the new tables. */
  readonly createTables: readonly string[];
  readonly copies: readonly TableCopy[];
  /** Autoincrement columns of the new tables, to carry on after the copied ids. */
  readonly sequences: readonly { readonly table: string; readonly column: string }[];
  readonly movedKeys: readonly MovedKey[];
  /** `add constraint` of the moved keys. */
  readonly addMovedKeys: readonly string[];
  /**
   * The statement-level keys (see `entities/statement-keys.ts`): those of the old pivots dropped, those
   * of the package's pivots that point at the new table created (replacing the old table's).
   */
  readonly statementKeys: readonly string[];
  /** `add constraint` of the new tables' own keys. */
  readonly addOwnKeys: readonly string[];
  /** Old tables, pivots first. */
  readonly dropTables: readonly string[];
  /** The app's parts of the schema the migration creates (its snapshot gains them). */
  readonly created: DatabaseSchema;
}

/** What the planner reads. */
export interface SwapInput {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly apps: AppRegistry;
  /** The graph of the migration files as they are (read statically). */
  readonly graph: MigrationGraph;
  readonly token: SwapToken;
}

const ADD_FOREIGN_KEY = /^alter table \S+ add constraint \S+ foreign key/;

function bareTable(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The properties declared on a class and its bases, by name, with their kind. */
function declaredProperties(start: Function): Map<string, string | undefined> {
  const props = new Map<string, string | undefined>();
  for (let cls: unknown = start; typeof cls === 'function' && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    for (const [name, prop] of Object.entries(MetadataStorage.getMetadataFromDecorator(cls as Function).properties)) {
      if (!props.has(name)) props.set(name, (prop as { kind?: string }).kind);
    }
  }
  return props;
}

/** Plans the swap migration of `token`, or refuses with the reason. */
export async function planSwap(input: SwapInput): Promise<SwapPlan> {
  const { orm, settings, apps, graph, token } = input;
  if (isRoomToken(token)) throw SwapError.roomType(token);
  const cls = settings.models[token];
  const defaultClass = defaultModel(token);
  if (cls === defaultClass) throw SwapError.notSwapped(token);
  const app = apps.appOf(cls);
  for (const node of graph.appNodes(app)) {
    if (node.declaration.swaps?.includes(token)) throw SwapError.alreadySwapped(token, node.key);
  }
  const metadata = orm.getMetadata();
  const meta = metadata.find(cls.name) as EntityMetadata;
  const oldTable = MetadataStorage.getMetadataFromDecorator(defaultClass).tableName ?? orm.config.getNamingStrategy().classToTableName(defaultClass.name);
  const newTable = meta.tableName;
  if (newTable === oldTable) throw SwapError.sameTable(cls.name, oldTable);

  const owned = ownedSchema(orm.em.fork(), apps);
  const { full, ownership, generator } = owned;
  const table = full.getTable(newTable)!;
  // The abstract base's properties (and its bases'): what every class of the token has.
  const base = new Set(declaredProperties(ABSTRACT_BASES[token]).keys());
  const naming = orm.config.getNamingStrategy();

  // Fields the default declares beyond the abstract base (the default User's email and names) that
  // the custom class lacks: their values would be dropped with the old table.
  const defaultProps = new Set([...declaredProperties(defaultClass)].filter(([, kind]) => kind !== ReferenceKind.ONE_TO_MANY && kind !== ReferenceKind.MANY_TO_MANY).map(([name]) => name));
  const lost = [...defaultProps].filter(name => !base.has(name) && !meta.properties[name]).map(name => naming.propertyToColumnName(name));
  if (lost.length > 0) throw SwapError.lostColumns(cls.name, oldTable, lost);

  // The rows: the columns the default had, copied; the custom ones take their defaults.
  const baseColumns: string[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || !prop.fieldNames || prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) continue;
    if (defaultProps.has(prop.name)) baseColumns.push(...prop.fieldNames);
  }
  const required = table
    .getColumns()
    .filter(c => !baseColumns.includes(c.name) && !c.nullable && (c.default === undefined || c.default === null) && !c.autoincrement && !c.generated)
    .map(c => c.name);
  if (required.length > 0) throw SwapError.requiredColumns(cls.name, required);

  const copies: TableCopy[] = [{ from: oldTable, to: newTable, columns: table.getColumns().map(c => c.name).filter(c => baseColumns.includes(c)) }];
  const newTables = new Set([newTable]);
  const oldPivots: string[] = [];
  for (const prop of meta.props) {
    if (prop.kind !== ReferenceKind.MANY_TO_MANY || !prop.owner || !prop.pivotTable) continue;
    const pivot = bareTable(prop.pivotTable);
    if (ownership.tableOwner(pivot) !== app) continue;
    newTables.add(pivot);
    if (!base.has(prop.name)) continue;
    const target = metadata.find(prop.type);
    const oldPivot = naming.joinTableName(oldTable, target?.tableName ?? prop.type, prop.name);
    if (oldPivot === pivot) continue;
    oldPivots.push(oldPivot);
    copies.push({ from: oldPivot, to: pivot, columns: full.getTable(pivot)!.getColumns().map(c => c.name) });
  }

  // Migrations of apps that wrote the old table's name into their SQL could not run on a new database.
  const inUse = graph
    .nodes()
    .filter(n => n.app !== PACKAGE_APP && [oldTable, ...oldPivots].some(t => n.declaration.sql.needsTables.includes(t) || n.declaration.sql.createsTables.includes(t)))
    .map(n => n.key);
  if (inUse.length > 0) throw SwapError.oldTableInUse(oldTable, inUse);
  for (const node of graph.appNodes(app)) {
    const created = [...newTables].find(t => node.declaration.sql.createsTables.includes(t));
    if (created) throw SwapError.tableExists(created, node.key, token);
  }

  const isNewPart = (part: SchemaPart) => newTables.has(part.table) && ownerOfPart(ownership, part) === app;
  const isMovedKey = (part: SchemaPart) =>
    part.kind === 'foreignKey' &&
    !newTables.has(part.table) &&
    bareTable(part.foreignKey.referencedTableName) === newTable &&
    ownership.foreignKeyOwner(part.table, part.foreignKey) === PACKAGE_APP;

  const created = sliceSchema(full, isNewPart);
  const createSql = (await schemaDiffSql(generator, sliceSchema(full, () => false), created)).up;
  const movedKeys: MovedKey[] = [];
  const movedTables = new Set<string>();
  for (const source of full.getTables()) {
    for (const fk of Object.values(source.getForeignKeys())) {
      if (!isMovedKey({ kind: 'foreignKey', table: source.name, foreignKey: fk })) continue;
      movedKeys.push({ table: source.name, name: fk.constraintName, columns: fk.columnNames });
      movedTables.add(source.name);
    }
  }
  movedKeys.sort((a, b) => (a.table === b.table ? (a.name < b.name ? -1 : 1) : a.table < b.table ? -1 : 1));
  const inMovedTables = (part: SchemaPart) => movedTables.has(part.table);
  const addMovedKeys = (await schemaDiffSql(generator, sliceSchema(full, p => inMovedTables(p) && !isMovedKey(p)), sliceSchema(full, inMovedTables))).up;

  const statementKeySql = [
    // The old pivots' copies follow the table's own (the first).
    ...(hasStatementKeys(defaultClass) ? copies.slice(1) : []).flatMap(copy => copy.columns.flatMap(column => dropStatementKeySql(statementKeyName(naming, copy.from, column)))),
    ...statementKeys(metadata, naming)
      .filter(key => key.referencedTable === newTable && !newTables.has(key.table))
      .flatMap(createStatementKeySql),
  ];

  const sequences = [...newTables].flatMap(name =>
    full
      .getTable(name)!
      .getColumns()
      .filter(c => c.autoincrement)
      .map(c => ({ table: name, column: c.name })),
  );
  const tokenTables = new Map<string, string>();
  for (const [t, modelClass] of Object.entries(settings.models)) {
    const m = metadata.find(modelClass.name);
    if (m && !isRoomToken(t as SwapToken)) tokenTables.set(m.tableName, t);
  }
  const dependencies = withPackageLeaf(
    // The moved keys are on the package's tables: the package's latest migration covers them.
    dependenciesOf({ app, graph, ownership, tokenTables, foreignConstraints: new Set() }, createSql),
    graph,
  );
  return {
    token,
    app,
    className: cls.name,
    oldTable,
    newTable,
    dependencies,
    createTables: createSql.filter(sql => !ADD_FOREIGN_KEY.test(sql)),
    copies,
    sequences,
    movedKeys,
    addMovedKeys,
    statementKeys: statementKeySql,
    addOwnKeys: createSql.filter(sql => ADD_FOREIGN_KEY.test(sql)),
    dropTables: [...oldPivots, oldTable],
    created,
  };
}

/** The swap runs after every package migration (they made the tables it moves): depend on the package's latest. */
function withPackageLeaf(dependencies: WrittenDependency[], graph: MigrationGraph): WrittenDependency[] {
  const leaf = graph.leafNodes(PACKAGE_APP)[0];
  if (!leaf || dependencies.some(d => d.kind === 'migration' && d.app === PACKAGE_APP)) return dependencies;
  const own = dependencies.filter(d => d.kind === 'migration' && d.app !== PACKAGE_APP).slice(0, 1);
  const rest = dependencies.slice(own.length);
  return [...own, { kind: 'migration', app: PACKAGE_APP, name: leaf.name }, ...rest];
}
