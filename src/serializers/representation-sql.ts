/**
 * Representations built by PostgreSQL: a serializer's field plan compiled into SQL that yields,
 * for each row of a set, the JSON object the serializer would produce from the entity, nested
 * serializers included, as JSON text. A page of fifty messages then costs one statement and no entity.
 * The text is written by concatenation, keys as literals: `json_build_object` looks up the type of
 * each of its arguments, keys included, on every call, and that was a quarter of a page's database
 * CPU. Every compiled value is JSON text and never SQL null (`null` is the text `null`). Fields computed by
 * a getter compile only for the package's own getters; a serializer with a getter of its own, or
 * a column type this does not know, compiles to undefined and the caller serializes entities
 * (the general, slower path).
 */
import { ReferenceKind, type EntityManager, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import { propertyOf } from '../orm/property-of.js';
import { quoteLiteral } from '../sql/quote.js';
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
 * keyed on the rows of `set`.
 */
interface Level {
  readonly set: string;
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

/** JSON text of SQL text `text` (an expression), or `null` when it is null. */
const orNull = (text: string) => `coalesce(${text}, 'null')`;

/** Column types shown as their text (numbers, booleans, JSON), quoted (uuids), or escaped as JSON strings (text). */
const AS_TEXT = /^(boolean|bool|smallint|int|integer|int2|int4|serial|json|jsonb)\b/;
const QUOTED = /^uuid\b/;
const ESCAPED = /^(text|varchar|character varying|real|double precision|float4|float8)\b/;

/**
 * The JSON text of column value `value` of SQL type `type`, as `ModelSerializer.plainValue` shows
 * it, or undefined for a type this does not know. Only text (and floats, for NaN) pays `to_json`'s
 * type lookup; a uuid, a number or a boolean needs no escaping.
 */
function jsonValue(type: string, value: string, runtimeType?: string): string | undefined {
  const t = type.toLowerCase();
  if (/^timestamp(tz| with time zone)/.test(t)) return orNull(`'"' || ${isoTime(value)} || '"'`);
  if (t.startsWith('bigint') || t.startsWith('int8')) return runtimeType === 'number' ? orNull(`${value}::text`) : undefined;
  if (QUOTED.test(t)) return orNull(`'"' || ${value}::text || '"'`);
  if (AS_TEXT.test(t)) return orNull(`${value}::text`);
  if (ESCAPED.test(t)) return orNull(`to_json(${value})::text`);
  return undefined;
}

/** The JSON text of a reference to a row of `meta` by its key `value` (`{"id": …}` holds the key as its column shows it). */
function keyValue(meta: EntityMetadata, value: string): string | undefined {
  const prop = propertyOf(meta, meta.primaryKeys[0]!)!;
  return jsonValue(String(prop.columnTypes?.[0] ?? ''), value, prop.runtimeType);
}

/**
 * A JSON object of `entries` (key, JSON text of the value) as one concatenation, the keys and
 * punctuation as literals, split around the value of entry `at`: `head || value || tail` is the
 * object (the whole object is the head when `at` is past the end).
 */
function objectAround(entries: readonly (readonly [string, string])[], at = entries.length): { head: string; tail: string } {
  const [head, tail]: string[][] = [[], []];
  entries.forEach(([key, value], i) => {
    (i <= at ? head : tail).push(quoteLiteral(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`));
    if (i !== at) (i < at ? head : tail).push(`(${value})`);
  });
  (at < entries.length ? tail : head).push(quoteLiteral(entries.length === 0 ? '{}' : '}'));
  return { head: head.join(' || '), tail: tail.join(' || ') };
}

/** A JSON object of `entries` (key, JSON text of the value). */
const objectOf = (entries: readonly (readonly [string, string])[]): string => objectAround(entries).head;

/** A JSON array of `value` (JSON text) over a group's rows, in `order`: never null for a group, which has a row. */
const arrayAgg = (value: string, order: string) => `'[' || string_agg(${value}, ',' order by ${order}) || ']'`;

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
function nestedSet(c: Compilation, owners: string, cls: SerializerClass, meta: EntityMetadata, source: string, keyColumn: string, ownerColumn: string): Nested | undefined {
  const rows = `${source} t where ${among(`t.${keyColumn}`, `select ${ownerColumn} from ${owners}`)}`;
  const body = `select t.* from ${rows}`;
  const known = c.named.get(body);
  const set = known ?? c.name();
  const level: Level = { set, alias: 't', joins: [] };
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
  const nested = nestedSet(c, at.set, c.settings.serializers[name], meta, table(meta), idColumn(meta), foreignKey);
  if (!nested) return undefined;
  const shown = cte(c, `select t.${idColumn(meta)} as k, ${nested.shown} as shown from ${nested.from}`);
  return orNull(`${join(at, shown, `${at.alias}.${foreignKey}`)}.shown`);
}

/** `order by` of a collection property's `orderBy`, over alias `a` of the target (by primary key when it has none). */
function orderOf(owner: EntityMetadata, collection: string, target: EntityMetadata, a: string): string {
  const orderBy = propertyOf(owner, collection)?.orderBy;
  const entries = orderBy && !Array.isArray(orderBy) ? Object.entries(orderBy) : [[target.primaryKeys[0]!, 'asc']];
  return entries.map(([property, direction]) => `${a}.${column(target, property)} ${String(direction).toLowerCase().startsWith('desc') ? 'desc' : 'asc'}`).join(', ');
}

/** A JSON array per row of the level, built by `aggregate` (a CTE with one row per key `k`); `[]` for a row it has none for. */
function arrayOf(c: Compilation, at: Level, aggregate: string, ownerKey: string): string {
  return `coalesce(${join(at, cte(c, aggregate), `${at.alias}.${ownerKey}`)}.shown, '[]')`;
}

/** The representations of the items of `owner`'s collection `collection`, in its order, by the serializer the settings name. */
function nestedMany(c: Compilation, at: Level, name: SerializerName, token: SwapToken, owner: EntityMetadata, collection: string): string | undefined {
  const meta = metaOf(c, model(token));
  const back = column(meta, propertyOf(owner, collection)!.mappedBy);
  const nested = nestedSet(c, at.set, c.settings.serializers[name], meta, table(meta), back, idColumn(owner));
  if (!nested) return undefined;
  return arrayOf(c, at, `select t.${back} as k, ${arrayAgg(nested.shown, orderOf(owner, collection, meta, 't'))} as shown from ${nested.from} group by t.${back}`, idColumn(owner));
}

/**
 * The messages of the level's set and their parents, grandparents… as far as they are shown in
 * full (`MAX_NESTING_DEPTH`): one set (`closure`), so that each related table is read once for a
 * message at any depth. `generations[g]` holds the ids of the messages shown g + 1 levels down.
 */
function messageClosure(c: Compilation, at: Level, meta: EntityMetadata): { closure: string; generations: string[] } {
  const [id, parent] = [idColumn(meta), column(meta, 'parentMessage')];
  const generations: string[] = [];
  let owners = `select t.${parent} as id from ${at.set} t where t.${parent} is not null`;
  for (let depth = c.depth + 1; depth <= MAX_NESTING_DEPTH; depth++) {
    const generation = cte(c, owners);
    generations.push(generation);
    owners = `select t.${parent} as id from ${table(meta)} t where ${among(`t.${id}`, `select id from ${generation}`)} and t.${parent} is not null`;
  }
  const columns = columnsOf(meta);
  const ancestors = generations.map(generation => `select id from ${generation}`).join(' union ');
  // The level's own rows are taken as they are; only their ancestors are read (when the columns can be named).
  const closure = columns
    ? `select ${columns} from ${at.set} union all select ${columns} from ${table(meta)} t where ${among(`t.${id}`, `${ancestors} except select ${id} from ${at.set}`)}`
    : `select t.* from ${table(meta)} t where ${among(`t.${id}`, `select ${id} from ${at.set} union ${ancestors}`)}`;
  return { closure: cte(c, closure), generations };
}

/**
 * The columns of `meta`'s table that its properties map, as a select list (every column a
 * representation reads); undefined when a property maps columns another way (embedded, formula).
 */
function columnsOf(meta: EntityMetadata): string | undefined {
  const columns: string[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false) continue;
    if (prop.formula || prop.kind === ReferenceKind.EMBEDDED) return undefined;
    if (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) columns.push(...prop.fieldNames);
  }
  return columns.join(', ');
}

/** `{"id": …}` of the message whose key is `key`, or undefined when its key type does not compile. */
function messageById(meta: EntityMetadata, key: string): string | undefined {
  const id = keyValue(meta, key);
  return id && objectOf([['id', id]]);
}

/**
 * As `MessageSerializer.getParentMessage` once nesting ends: the parent whose key is `parent` (an
 * expression), by id. The foreign key says the row exists: it needs no read.
 */
function parentById(meta: EntityMetadata, parent: string): string | undefined {
  const byId = messageById(meta, parent);
  return byId && `case when ${parent} is null then 'null' else ${byId} end`;
}

const parentMessage: GetterSql = (_c, at, meta) => parentById(meta, `${at.alias}.${column(meta, 'parentMessage')}`);

/**
 * Messages shown with their parents, in full while nesting allows (as `getParentMessage`: by id
 * from another room, a tombstone once deleted). Each message of the closure is shown once, as the
 * text before and after its `parent_message` (CTE `base`, where every relation is joined); a
 * level of parents then only joins the level below it. The statement stays small whatever the
 * nesting: the relations are joined once, not once per level.
 */
function thread(c: Compilation, at: Level, meta: EntityMetadata, plan: readonly FieldPlan[], parentAt: number): string | undefined {
  // The messages' keys are written into the text: a key type this cannot write keeps the entity path.
  if (keyValue(meta, 'k') === undefined) return undefined;
  const { closure, generations } = messageClosure(c, at, meta);
  const rows: Level = { set: closure, alias: 't', joins: [] };
  const entries: [string, string][] = [];
  for (const [i, field] of plan.entries()) {
    const shown = i === parentAt ? '' : fieldSql(c, rows, meta, field);
    if (shown === undefined) return undefined;
    entries.push([field.wire, shown]);
  }
  const { head, tail } = objectAround(entries, parentAt);
  const [id, room, deleted, parent] = [idColumn(meta), column(meta, 'room'), column(meta, 'isDeleted'), column(meta, 'parentMessage')];
  const base = cte(c, `select t.${id} as k, t.${room} as room, t.${deleted} as deleted, t.${parent} as parent, ${head} as head, ${tail} as tail from ${closure} t ${rows.joins.join(' ')}`);
  // The parent of the message at `b` (a row of `base`), shown by `p` (a row of the level below), or by id at the last level.
  const parentOf = (b: string, p: string | undefined) =>
    p === undefined
      ? parentById(meta, `${b}.parent`)
      : `case when ${p}.k is null then 'null'
      when ${p}.room is distinct from ${b}.room then ${messageById(meta, `${p}.k`)}
      when ${p}.deleted then ${objectOf([['id', keyValue(meta, `${p}.k`)!], ['content', `'""'`], ['is_deleted', `'true'`]])}
      else ${p}.shown end`;
  let below: string | undefined;
  for (const generation of generations.toReversed()) {
    below = cte(
      c,
      `select b.k, b.room, b.deleted, b.head || (${parentOf('b', below && 'p')}) || b.tail as shown
      from ${base} b ${below ? `left join ${below} p on p.k = b.parent ` : ''}where ${among('b.k', `select id from ${generation}`)}`,
    );
  }
  const b = join(at, base, `${at.alias}.${id}`);
  return `${b}.head || (${parentOf(b, below && join(at, below, `${b}.parent`))}) || ${b}.tail`;
}

/** As `MessageSerializer.getForwardedFrom`: the original's id, sender and time. */
const forwardedFrom: GetterSql = (c, at, meta) => {
  const set = cte(c, `select t.* from ${table(meta)} t where ${among(`t.${idColumn(meta)}`, `select ${column(meta, 'forwardedFrom')} from ${at.set}`)}`);
  const level: Level = { set, alias: 't', joins: [] };
  const sender = nestedOne(c, level, 'UserSerializer', 'User', column(meta, 'sender'));
  const [id, createdAt] = [keyValue(meta, `t.${idColumn(meta)}`), propertySql(c, level, meta, propertyOf(meta, 'createdAt'))];
  if (sender === undefined || !id || !createdAt) return undefined;
  const name = cte(c, `select t.${idColumn(meta)} as k, ${objectOf([['id', id], ['sender', sender], ['created_at', createdAt]])} as shown from ${set} t ${level.joins.join(' ')}`);
  return orNull(`${join(at, name, `${at.alias}.${column(meta, 'forwardedFrom')}`)}.shown`);
};

/** As `MessageSerializer.getDeliveredTo`: usernames, sorted. */
const deliveredTo: GetterSql = (c, at, meta) => {
  const prop = propertyOf(meta, 'deliveredTo')!;
  const user = metaOf(c, model('User'));
  const [owner, username] = [prop.joinColumns[0]!, column(user, 'username')];
  return arrayOf(
    c,
    at,
    `select d.${owner} as k, ${arrayAgg(`to_json(u.${username})::text`, `u.${username} collate "C"`)} as shown
      from ${prop.pivotTable} d join ${table(user)} u on u.${idColumn(user)} = d.${prop.inverseJoinColumns[0]}
      where ${among(`d.${owner}`, `select ${idColumn(meta)} from ${at.set}`)} group by d.${owner}`,
    idColumn(meta),
  );
};

/** The package's own getters, compiled. A getter not listed here (a custom one) keeps the entity path. */
const GETTERS = new Map<Function, GetterSql>([
  [
    MessageSerializerMixin.prototype.getRoom,
    (_c, at, meta) => {
      const id = referenceValue(propertyOf(meta, 'room')!, at.alias);
      return id && objectOf([['id', id]]);
    },
  ],
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

/** The JSON text of the key a many-to-one (or owning one-to-one) property `prop` holds in the row at `alias`. */
function referenceValue(prop: EntityProperty, alias: string): string | undefined {
  return jsonValue(String(prop.columnTypes?.[0] ?? ''), `${alias}.${prop.fieldNames[0]}`);
}

/** A property's value as `ModelSerializer.plainValue` shows it, or undefined when this cannot say. */
function propertySql(c: Compilation, at: Level, meta: EntityMetadata, prop: EntityProperty | undefined): string | undefined {
  if (!prop) return `'null'`;
  const a = at.alias;
  switch (prop.kind) {
    case ReferenceKind.SCALAR:
      return jsonValue(String(prop.columnTypes?.[0] ?? ''), `${a}.${prop.fieldNames[0]}`, prop.runtimeType);
    case ReferenceKind.MANY_TO_ONE:
      return referenceValue(prop, a);
    case ReferenceKind.ONE_TO_ONE:
      return prop.owner ? referenceValue(prop, a) : undefined;
    case ReferenceKind.ONE_TO_MANY: {
      const target = c.em.getMetadata().find(prop.type)!;
      const back = column(target, prop.mappedBy);
      const id = keyValue(target, `t.${idColumn(target)}`);
      if (!id) return undefined;
      return arrayOf(
        c,
        at,
        `select t.${back} as k, ${arrayAgg(id, orderOf(meta, prop.name, target, 't'))} as shown
          from ${table(target)} t where ${among(`t.${back}`, `select ${idColumn(meta)} from ${at.set}`)} group by t.${back}`,
        idColumn(meta),
      );
    }
    case ReferenceKind.MANY_TO_MANY: {
      if (!prop.owner) return undefined;
      const [owner, other] = [prop.joinColumns[0]!, prop.inverseJoinColumns[0]!];
      const id = keyValue(c.em.getMetadata().find(prop.type)!, `p.${other}`);
      if (!id) return undefined;
      // By the other side's key: the order MikroORM gives a collection whose `orderBy` is its key.
      return arrayOf(
        c,
        at,
        `select p.${owner} as k, ${arrayAgg(id, `p.${other}`)} as shown from ${prop.pivotTable} p where ${among(`p.${owner}`, `select ${idColumn(meta)} from ${at.set}`)} group by p.${owner}`,
        idColumn(meta),
      );
    }
    default:
      return undefined;
  }
}

/** A field's value at the level, as JSON text, or undefined when it does not compile. */
function fieldSql(c: Compilation, at: Level, meta: EntityMetadata, field: FieldPlan): string | undefined {
  return field.getter ? GETTERS.get(field.getter)?.(c, at, meta) : propertySql(c, at, meta, field.prop);
}

function compile(c: Compilation, cls: SerializerClass, meta: EntityMetadata, at: Level): string | undefined {
  const plan: readonly FieldPlan[] = new cls({ em: c.em, settings: c.settings, depth: c.depth }).fieldPlan(meta);
  // A `?` in the text would be taken for a parameter (see `preparedSql`).
  if (plan.some(field => field.wire.includes('?'))) return undefined;
  // Messages shown with their parents: the relations are read for the parents and the level's rows at once.
  const parentAt = plan.findIndex(field => field.getter === MessageSerializer.prototype.getParentMessage);
  if (parentAt >= 0 && c.depth < MAX_NESTING_DEPTH) return thread(c, at, meta, plan, parentAt);
  const entries: [string, string][] = [];
  for (const field of plan) {
    const shown = fieldSql(c, at, meta, field);
    if (shown === undefined) return undefined;
    entries.push([field.wire, shown]);
  }
  return objectOf(entries);
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
  /** The JSON representation of the row at the alias, as text (never null). */
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
    const at: Level = { set: rows.set, alias: rows.alias, joins: [] };
    const shown = compile(c, cls, meta, at);
    byKey.set(key, shown === undefined ? null : { ctes: c.ctes, joins: at.joins.join(' '), shown });
  }
  return byKey.get(key) ?? undefined;
}
