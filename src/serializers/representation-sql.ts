/**
 * Representations built by PostgreSQL: a serializer's field plan compiled into SQL that yields,
 * for each row of a set, the JSON object the serializer would produce from the entity, nested
 * serializers included. A page of fifty messages then costs one statement and no entity. Fields computed by
 * a getter compile only for the package's own getters; a serializer with a getter of its own, or
 * a column type this does not know, compiles to undefined and the caller serializes entities
 * (the general, slower path).
 */
import { ReferenceKind, type EntityManager, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import { propertyOf } from '../orm/property-of.js';
import { model } from '../swappable/registry.js';
import type { SwapToken } from '../swappable/tokens.js';
import type { ChatSettings } from '../settings/types.js';
import { ChatNotificationSerializerMixin } from './chat-notification.js';
import { MessageSerializer, MessageSerializerMixin } from './message.js';
import { MAX_NESTING_DEPTH, type FieldPlan, type SerializerClass } from './model-serializer.js';
import type { SerializerName } from './names.js';
import { ReactionSerializerMixin } from './reaction.js';
import { ReadReceiptSerializerMixin } from './read-receipt.js';

/** What a compilation needs: the metadata, the settings (which name the nested serializers) and the nesting depth. */
interface Compilation {
  readonly em: EntityManager;
  readonly settings: ChatSettings;
  readonly depth: number;
  /** A fresh name for a CTE. */
  name(): string;
  /** The statement's CTEs so far, in the order they must be written. */
  readonly ctes: string[];
  /** The name of each CTE by its body: a body compiled twice (the same relation of messages shown at two depths) is read once. */
  readonly named: Map<string, string>;
}

/**
 * Where one compiled expression stands: the row it shows is at `alias`, one of the rows of the
 * CTE `set`; what it needs from related tables comes through `joins` on that row, from CTEs
 * keyed on the rows of `keys` (the set itself, or a set that holds it: see `messageClosure`).
 */
interface Level {
  readonly set: string;
  keys: string;
  readonly alias: string;
  readonly joins: string[];
}

type GetterSql = (c: Compilation, at: Level, meta: EntityMetadata) => string | undefined;

const ISO_TIME = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function column(meta: EntityMetadata, property: string): string {
  return propertyOf(meta, property)!.fieldNames[0]!;
}

function idColumn(meta: EntityMetadata): string {
  return column(meta, meta.primaryKeys[0]!);
}

function table(meta: EntityMetadata): string {
  return meta.schema && meta.schema !== '*' ? `${meta.schema}.${meta.tableName}` : meta.tableName;
}

function metaOf(c: Compilation, entity: Function): EntityMetadata {
  return c.em.getMetadata().find(entity.name)!;
}

/**
 * `value` is one of the values `select` gives. As `= any(array(…))`, not `in (…)`: the values are
 * read first and each is looked up by index, where a semi-join planned from a CTE's row estimate
 * could scan a whole table.
 */
function among(value: string, select: string): string {
  return `${value} = any(array(${select}))`;
}

/** A timestamp as the serializers write it: ISO 8601 in UTC, to the millisecond. */
export function isoTime(value: string): string {
  return `to_char(${value} at time zone 'UTC', ${ISO_TIME})`;
}

/** A materialized CTE (read once, joined by hash, never re-run per row) with `body`; its name. */
function cte(c: Compilation, body: string): string {
  let name = c.named.get(body);
  if (name === undefined) {
    name = c.name();
    c.named.set(body, name);
    c.ctes.push(`${name} as materialized (${body})`);
  }
  return name;
}

/** Joins CTE `name` (one row per key `k`) to the level's row on `key`; returns the join's alias. */
function join(at: Level, name: string, key: string): string {
  const j = `j${at.joins.length + 1}`;
  at.joins.push(`left join ${name} ${j} on ${j}.k = ${key}`);
  return j;
}

/** A nested level's rows and their representation: `select … from ${from}` reads them (alias `t`). */
interface Nested {
  readonly from: string;
  readonly shown: string;
}

/**
 * The rows of `source` (a table, or a CTE of whole rows) whose `keyColumn` is among `ownerColumn`
 * of `owners`, and the representation of each by `cls` one level deeper (undefined when it does
 * not compile). When that representation reads no related table, the rows are read where they are
 * shown; otherwise they become a set of their own (a CTE) that the related tables' CTEs are keyed on.
 */
function nestedSet(c: Compilation, owners: string, cls: SerializerClass, meta: EntityMetadata, source: string, keyColumn: string, ownerColumn: string, keys?: string): Nested | undefined {
  const rows = `${source} t where ${among(`t.${keyColumn}`, `select ${ownerColumn} from ${owners}`)}`;
  const body = `select t.* from ${rows}`;
  const known = c.named.get(body);
  const set = known ?? c.name();
  const level: Level = { set, keys: keys ?? set, alias: 't', joins: [] };
  const before = c.ctes.length;
  const shown = compile({ ...c, depth: c.depth + 1 }, cls, meta, level);
  if (shown === undefined) return undefined;
  if (!known) {
    if (c.ctes.length === before && level.joins.length === 0) return { from: rows, shown };
    c.named.set(body, set);
    c.ctes.splice(before, 0, `${set} as materialized (${body})`);
  }
  return { from: `${set} t ${level.joins.join(' ')}`, shown };
}

/** The representation of the object the level's `foreignKey` column points at, by the serializer the settings name. */
function nestedOne(c: Compilation, at: Level, name: SerializerName, token: SwapToken, foreignKey: string): string | undefined {
  const meta = metaOf(c, model(token));
  const nested = nestedSet(c, at.keys, c.settings.serializers[name], meta, table(meta), idColumn(meta), foreignKey);
  if (!nested) return undefined;
  const shown = cte(c, `select t.${idColumn(meta)} as k, ${nested.shown} as shown from ${nested.from}`);
  return `${join(at, shown, `${at.alias}.${foreignKey}`)}.shown`;
}

/** `order by` of a collection property's `orderBy`, over alias `a` of the target (by primary key when it has none). */
function orderOf(owner: EntityMetadata, collection: string, target: EntityMetadata, a: string): string {
  const orderBy = propertyOf(owner, collection)?.orderBy;
  const entries = orderBy && !Array.isArray(orderBy) ? Object.entries(orderBy) : [[target.primaryKeys[0]!, 'asc']];
  return entries.map(([property, direction]) => `${a}.${column(target, property)} ${String(direction).toLowerCase().startsWith('desc') ? 'desc' : 'asc'}`).join(', ');
}

/** A JSON array per row of the level, built by `aggregate` (a CTE with one row per key `k`); `[]` for a row it has none for. */
function arrayOf(c: Compilation, at: Level, aggregate: string, ownerKey: string): string {
  return `coalesce(${join(at, cte(c, aggregate), `${at.alias}.${ownerKey}`)}.shown, '[]'::json)`;
}

/** The representations of the items of `owner`'s collection `collection`, in its order, by the serializer the settings name. */
function nestedMany(c: Compilation, at: Level, name: SerializerName, token: SwapToken, owner: EntityMetadata, collection: string): string | undefined {
  const meta = metaOf(c, model(token));
  const back = column(meta, propertyOf(owner, collection)!.mappedBy);
  const nested = nestedSet(c, at.keys, c.settings.serializers[name], meta, table(meta), back, idColumn(owner));
  if (!nested) return undefined;
  return arrayOf(c, at, `select t.${back} as k, json_agg(${nested.shown} order by ${orderOf(owner, collection, meta, 't')}) as shown from ${nested.from} group by t.${back}`, idColumn(owner));
}

/**
 * The messages of the level's set and their parents, grandparents… as far as they are shown in
 * full (`MAX_NESTING_DEPTH`): one set, so that each related table is read once for a message at
 * any depth, and the CTEs of the parents' relations are those of the level's.
 */
function messageClosure(c: Compilation, at: Level, meta: EntityMetadata): string {
  const [id, parent] = [idColumn(meta), column(meta, 'parentMessage')];
  const generations: string[] = [];
  let owners = `select t.${parent} as id from ${at.set} t where t.${parent} is not null`;
  for (let depth = c.depth + 1; depth <= MAX_NESTING_DEPTH; depth++) {
    const generation = cte(c, owners);
    generations.push(generation);
    owners = `select t.${parent} as id from ${table(meta)} t where ${among(`t.${id}`, `select id from ${generation}`)} and t.${parent} is not null`;
  }
  const ids = [`select ${id} from ${at.set}`, ...generations.map(generation => `select id from ${generation}`)].join(' union ');
  return cte(c, `select t.* from ${table(meta)} t where ${among(`t.${id}`, ids)}`);
}

/** As `MessageSerializer.getParentMessage`: in full while nesting allows, by id from another room, a tombstone once deleted. */
const parentMessage: GetterSql = (c, at, meta) => {
  const parent = `${at.alias}.${column(meta, 'parentMessage')}`;
  // The foreign key says the row exists: by id, it needs no read.
  if (c.depth >= MAX_NESTING_DEPTH) return `case when ${parent} is not null then json_build_object('id', ${parent}) end`;
  // The parents are rows of the closure (`keys`), whose relations' CTEs are already there.
  const nested = nestedSet(c, at.set, c.settings.serializers.MessageSerializer, meta, at.keys, idColumn(meta), column(meta, 'parentMessage'), at.keys);
  if (!nested) return undefined;
  const [room, deleted] = [column(meta, 'room'), column(meta, 'isDeleted')];
  const name = cte(c, `select t.${idColumn(meta)} as k, t.${room} as room, t.${deleted} as deleted, ${nested.shown} as shown from ${nested.from}`);
  const p = join(at, name, parent);
  return `case when ${p}.k is null then null
      when ${p}.room is distinct from ${at.alias}.${room} then json_build_object('id', ${p}.k)
      when ${p}.deleted then json_build_object('id', ${p}.k, 'content', '', 'is_deleted', true)
      else ${p}.shown end`;
};

/** As `MessageSerializer.getForwardedFrom`: the original's id, sender and time. */
const forwardedFrom: GetterSql = (c, at, meta) => {
  const set = cte(c, `select t.* from ${table(meta)} t where ${among(`t.${idColumn(meta)}`, `select ${column(meta, 'forwardedFrom')} from ${at.keys}`)}`);
  const level: Level = { set, keys: set, alias: 't', joins: [] };
  const sender = nestedOne(c, level, 'UserSerializer', 'User', column(meta, 'sender'));
  if (sender === undefined) return undefined;
  const name = cte(
    c,
    `select t.${idColumn(meta)} as k, json_build_object('id', t.${idColumn(meta)}, 'sender', ${sender}, 'created_at', ${isoTime(`t.${column(meta, 'createdAt')}`)}) as shown
      from ${set} t ${level.joins.join(' ')}`,
  );
  return `${join(at, name, `${at.alias}.${column(meta, 'forwardedFrom')}`)}.shown`;
};

/** As `MessageSerializer.getDeliveredTo`: usernames, sorted. */
const deliveredTo: GetterSql = (c, at, meta) => {
  const prop = propertyOf(meta, 'deliveredTo')!;
  const user = metaOf(c, model('User'));
  const [owner, username] = [prop.joinColumns[0]!, column(user, 'username')];
  return arrayOf(
    c,
    at,
    `select d.${owner} as k, json_agg(u.${username} order by u.${username} collate "C") as shown
      from ${prop.pivotTable} d join ${table(user)} u on u.${idColumn(user)} = d.${prop.inverseJoinColumns[0]}
      where ${among(`d.${owner}`, `select ${idColumn(meta)} from ${at.keys}`)} group by d.${owner}`,
    idColumn(meta),
  );
};

/** The package's own getters, compiled. A getter not listed here (a custom one) keeps the entity path. */
const GETTERS = new Map<Function, GetterSql>([
  [MessageSerializerMixin.prototype.getRoom, (_c, at, meta) => `json_build_object('id', ${at.alias}.${column(meta, 'room')})`],
  [MessageSerializerMixin.prototype.getSender, (c, at, meta) => nestedOne(c, at, 'UserSerializer', 'User', column(meta, 'sender'))],
  [MessageSerializerMixin.prototype.getReadReceipts, (c, at, meta) => nestedMany(c, at, 'ReadReceiptSerializer', 'ReadReceipt', meta, 'readReceipts')],
  [MessageSerializerMixin.prototype.getReactions, (c, at, meta) => nestedMany(c, at, 'ReactionSerializer', 'Reaction', meta, 'reactions')],
  [MessageSerializerMixin.prototype.getAttachments, (c, at, meta) => nestedMany(c, at, 'MessageMediaAssetSerializer', 'MessageMediaAsset', meta, 'attachments')],
  [MessageSerializer.prototype.getParentMessage, parentMessage],
  [MessageSerializer.prototype.getForwardedFrom, forwardedFrom],
  [MessageSerializer.prototype.getDeliveredTo, deliveredTo],
  [ReadReceiptSerializerMixin.prototype.getReader, (c, at, meta) => nestedOne(c, at, 'UserSerializer', 'User', column(meta, 'reader'))],
  [ReactionSerializerMixin.prototype.getUser, (c, at, meta) => nestedOne(c, at, 'UserSerializer', 'User', column(meta, 'user'))],
  [ChatNotificationSerializerMixin.prototype.getMessage, (c, at, meta) => nestedOne(c, at, 'MessageSerializer', 'Message', column(meta, 'message'))],
]);

/** Column types whose value JSON shows as the serializer does (text, numbers, booleans, uuids, JSON). */
const AS_IS = /^(text|varchar|character varying|uuid|boolean|bool|smallint|int|integer|int2|int4|serial|real|double precision|float4|float8|json|jsonb)\b/;

/** A property's value as `ModelSerializer.plainValue` shows it, or undefined when this cannot say. */
function propertySql(c: Compilation, at: Level, meta: EntityMetadata, prop: EntityProperty | undefined): string | undefined {
  if (!prop) return 'null';
  const a = at.alias;
  switch (prop.kind) {
    case ReferenceKind.SCALAR: {
      const type = String(prop.columnTypes?.[0] ?? '').toLowerCase();
      if (/^timestamp(tz| with time zone)/.test(type)) return isoTime(`${a}.${prop.fieldNames[0]}`);
      if (type.startsWith('bigint') || type.startsWith('int8')) return prop.runtimeType === 'number' ? `${a}.${prop.fieldNames[0]}` : undefined;
      return AS_IS.test(type) ? `${a}.${prop.fieldNames[0]}` : undefined;
    }
    case ReferenceKind.MANY_TO_ONE:
      return `${a}.${prop.fieldNames[0]}`;
    case ReferenceKind.ONE_TO_ONE:
      return prop.owner ? `${a}.${prop.fieldNames[0]}` : undefined;
    case ReferenceKind.ONE_TO_MANY: {
      const target = c.em.getMetadata().find(prop.type)!;
      const back = column(target, prop.mappedBy);
      return arrayOf(
        c,
        at,
        `select t.${back} as k, json_agg(t.${idColumn(target)} order by ${orderOf(meta, prop.name, target, 't')}) as shown
          from ${table(target)} t where ${among(`t.${back}`, `select ${idColumn(meta)} from ${at.keys}`)} group by t.${back}`,
        idColumn(meta),
      );
    }
    case ReferenceKind.MANY_TO_MANY: {
      if (!prop.owner) return undefined;
      const [owner, other] = [prop.joinColumns[0]!, prop.inverseJoinColumns[0]!];
      // By the other side's key: the order MikroORM gives a collection whose `orderBy` is its key.
      return arrayOf(
        c,
        at,
        `select p.${owner} as k, json_agg(p.${other} order by p.${other}) as shown from ${prop.pivotTable} p where ${among(`p.${owner}`, `select ${idColumn(meta)} from ${at.keys}`)} group by p.${owner}`,
        idColumn(meta),
      );
    }
    default:
      return undefined;
  }
}

/** json_build_object takes at most 100 arguments: 50 fields. */
const MAX_FIELDS = 50;

function compile(c: Compilation, cls: SerializerClass, meta: EntityMetadata, at: Level): string | undefined {
  const plan: readonly FieldPlan[] = new cls({ em: c.em, settings: c.settings, depth: c.depth }).fieldPlan(meta);
  if (plan.length > MAX_FIELDS) return undefined;
  // Messages shown with their parents: the relations are read for the parents and the level's rows at once.
  if (at.keys === at.set && c.depth < MAX_NESTING_DEPTH && plan.some(field => field.getter === MessageSerializer.prototype.getParentMessage)) {
    at.keys = messageClosure(c, at, meta);
  }
  const parts: string[] = [];
  for (const field of plan) {
    const shown = field.getter ? GETTERS.get(field.getter)?.(c, at, meta) : propertySql(c, at, meta, field.prop);
    if (shown === undefined) return undefined;
    parts.push(`'${field.wire.replace(/'/g, "''")}', ${shown}`);
  }
  return `json_build_object(${parts.join(', ')})`;
}

/** Which rows a compiled representation shows: those of CTE `set`, each at `alias`. */
export interface ShownRows {
  readonly set: string;
  readonly alias: string;
}

/**
 * A representation compiled for the rows of a set. Each related table is read once for the whole
 * set (a CTE keyed by the row it belongs to) and joined by hash, instead of a subquery run for
 * each row and each relation: a page of 50 messages costs a few table reads, not 350 index probes.
 */
export interface CompiledShown {
  /** CTEs to write after the set's own (`with <set> as (…), <ctes>`), in this order; they take no parameters. */
  readonly ctes: readonly string[];
  /** Joins to write after `from <set> <alias>`. */
  readonly joins: string;
  /** The JSON representation of the row at the alias. */
  readonly shown: string;
}

/** Compiled representations, per metadata (one ORM), settings, serializer class and entity class and rows. */
const compiled = new WeakMap<object, WeakMap<ChatSettings, Map<SerializerClass, Map<string, CompiledShown | null>>>>();

/**
 * The representation `cls` gives an entity of `entity`'s class, compiled to SQL over the rows of
 * `rows.set` (a CTE of the statement holding whole rows of the entity's table), or undefined when
 * it cannot be built in SQL. Compiled once, then reused.
 */
export function representationSql(em: EntityManager, settings: ChatSettings, cls: SerializerClass, entity: Function, rows: ShownRows): CompiledShown | undefined {
  const metadata = em.getMetadata();
  const meta = metadata.find(entity.name)!;
  let bySettings = compiled.get(metadata);
  if (!bySettings) compiled.set(metadata, (bySettings = new WeakMap()));
  let byClass = bySettings.get(settings);
  if (!byClass) bySettings.set(settings, (byClass = new Map()));
  let byKey = byClass.get(cls);
  if (!byKey) byClass.set(cls, (byKey = new Map()));
  const key = `${meta.className} ${rows.set} ${rows.alias}`;
  if (!byKey.has(key)) {
    let n = 0;
    const c: Compilation = { em, settings, depth: 0, name: () => `${rows.set}_${++n}`, ctes: [], named: new Map() };
    const at: Level = { set: rows.set, keys: rows.set, alias: rows.alias, joins: [] };
    const shown = compile(c, cls, meta, at);
    byKey.set(key, shown === undefined ? null : { ctes: c.ctes, joins: at.joins.join(' '), shown });
  }
  return byKey.get(key) ?? undefined;
}
