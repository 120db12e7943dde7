/**
 * Representations built by PostgreSQL: a serializer's field plan compiled into one SQL expression
 * that yields the JSON object the serializer would produce from the entity, nested serializers
 * included. A page of fifty messages then costs one statement and no entity. Fields computed by
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
  /** A fresh table alias. */
  alias(): string;
}

type GetterSql = (c: Compilation, alias: string, meta: EntityMetadata) => string | undefined;

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

/** The representation of the object `foreignKey` points at, by the serializer the settings name. */
function nestedOne(c: Compilation, name: SerializerName, token: SwapToken, foreignKey: string): string | undefined {
  const meta = metaOf(c, model(token));
  const a = c.alias();
  const shown = compile({ ...c, depth: c.depth + 1 }, c.settings.serializers[name], meta, a);
  return shown && `(select ${shown} from ${table(meta)} ${a} where ${a}.${idColumn(meta)} = ${foreignKey})`;
}

/** `order by` of a collection property's `orderBy`, over alias `a` of the target (by primary key when it has none). */
function orderOf(owner: EntityMetadata, collection: string, target: EntityMetadata, a: string): string {
  const orderBy = propertyOf(owner, collection)?.orderBy;
  const entries = orderBy && !Array.isArray(orderBy) ? Object.entries(orderBy) : [[target.primaryKeys[0]!, 'asc']];
  return entries.map(([property, direction]) => `${a}.${column(target, property)} ${String(direction).toLowerCase().startsWith('desc') ? 'desc' : 'asc'}`).join(', ');
}

/** The representations of the items of `owner`'s collection `collection`, in its order, by the serializer the settings name. */
function nestedMany(c: Compilation, name: SerializerName, token: SwapToken, owner: EntityMetadata, collection: string, ownerId: string): string | undefined {
  const meta = metaOf(c, model(token));
  const a = c.alias();
  const back = propertyOf(owner, collection)!.mappedBy;
  const shown = compile({ ...c, depth: c.depth + 1 }, c.settings.serializers[name], meta, a);
  return shown && `coalesce((select json_agg(${shown} order by ${orderOf(owner, collection, meta, a)}) from ${table(meta)} ${a} where ${a}.${column(meta, back)} = ${ownerId}), '[]'::json)`;
}

/** As `MessageSerializer.getParentMessage`: in full while nesting allows, by id from another room, a tombstone once deleted. */
const parentMessage: GetterSql = (c, a, meta) => {
  const p = c.alias();
  const byId = `json_build_object('id', ${p}.${idColumn(meta)})`;
  let shown = byId;
  if (c.depth < MAX_NESTING_DEPTH) {
    const full = compile({ ...c, depth: c.depth + 1 }, c.settings.serializers.MessageSerializer, meta, p);
    if (full === undefined) return undefined;
    shown = `case when ${p}.${column(meta, 'room')} is distinct from ${a}.${column(meta, 'room')} then ${byId}
      when ${p}.${column(meta, 'isDeleted')} then json_build_object('id', ${p}.${idColumn(meta)}, 'content', '', 'is_deleted', true)
      else ${full} end`;
  }
  return `(select ${shown} from ${table(meta)} ${p} where ${p}.${idColumn(meta)} = ${a}.${column(meta, 'parentMessage')})`;
};

/** As `MessageSerializer.getForwardedFrom`: the original's id, sender and time. */
const forwardedFrom: GetterSql = (c, a, meta) => {
  const f = c.alias();
  const sender = nestedOne(c, 'UserSerializer', 'User', `${f}.${column(meta, 'sender')}`);
  return (
    sender &&
    `(select json_build_object('id', ${f}.${idColumn(meta)}, 'sender', ${sender}, 'created_at', to_char(${f}.${column(meta, 'createdAt')} at time zone 'UTC', ${ISO_TIME}))
      from ${table(meta)} ${f} where ${f}.${idColumn(meta)} = ${a}.${column(meta, 'forwardedFrom')})`
  );
};

/** As `MessageSerializer.getDeliveredTo`: usernames, sorted. */
const deliveredTo: GetterSql = (c, a, meta) => {
  const prop = propertyOf(meta, 'deliveredTo')!;
  const user = metaOf(c, model('User'));
  const [d, u] = [c.alias(), c.alias()];
  return `coalesce((select json_agg(${u}.${column(user, 'username')} order by ${u}.${column(user, 'username')} collate "C")
    from ${prop.pivotTable} ${d} join ${table(user)} ${u} on ${u}.${idColumn(user)} = ${d}.${prop.inverseJoinColumns[0]}
    where ${d}.${prop.joinColumns[0]} = ${a}.${idColumn(meta)}), '[]'::json)`;
};

/** The package's own getters, compiled. A getter not listed here (a custom one) keeps the entity path. */
const GETTERS = new Map<Function, GetterSql>([
  [MessageSerializerMixin.prototype.getRoom, (_c, a, meta) => `json_build_object('id', ${a}.${column(meta, 'room')})`],
  [MessageSerializerMixin.prototype.getSender, (c, a, meta) => nestedOne(c, 'UserSerializer', 'User', `${a}.${column(meta, 'sender')}`)],
  [MessageSerializerMixin.prototype.getReadReceipts, (c, a, meta) => nestedMany(c, 'ReadReceiptSerializer', 'ReadReceipt', meta, 'readReceipts', `${a}.${idColumn(meta)}`)],
  [MessageSerializerMixin.prototype.getReactions, (c, a, meta) => nestedMany(c, 'ReactionSerializer', 'Reaction', meta, 'reactions', `${a}.${idColumn(meta)}`)],
  [MessageSerializerMixin.prototype.getAttachments, (c, a, meta) => nestedMany(c, 'MessageMediaAssetSerializer', 'MessageMediaAsset', meta, 'attachments', `${a}.${idColumn(meta)}`)],
  [MessageSerializer.prototype.getParentMessage, parentMessage],
  [MessageSerializer.prototype.getForwardedFrom, forwardedFrom],
  [MessageSerializer.prototype.getDeliveredTo, deliveredTo],
  [ReadReceiptSerializerMixin.prototype.getReader, (c, a, meta) => nestedOne(c, 'UserSerializer', 'User', `${a}.${column(meta, 'reader')}`)],
  [ReactionSerializerMixin.prototype.getUser, (c, a, meta) => nestedOne(c, 'UserSerializer', 'User', `${a}.${column(meta, 'user')}`)],
  [ChatNotificationSerializerMixin.prototype.getMessage, (c, a, meta) => nestedOne(c, 'MessageSerializer', 'Message', `${a}.${column(meta, 'message')}`)],
]);

/** Column types whose value JSON shows as the serializer does (text, numbers, booleans, uuids, JSON). */
const AS_IS = /^(text|varchar|character varying|uuid|boolean|bool|smallint|int|integer|int2|int4|serial|real|double precision|float4|float8|json|jsonb)\b/;

/** A property's value as `ModelSerializer.plainValue` shows it, or undefined when this cannot say. */
function propertySql(c: Compilation, a: string, meta: EntityMetadata, prop: EntityProperty | undefined): string | undefined {
  if (!prop) return 'null';
  switch (prop.kind) {
    case ReferenceKind.SCALAR: {
      const type = String(prop.columnTypes?.[0] ?? '').toLowerCase();
      if (/^timestamp(tz| with time zone)/.test(type)) return `to_char(${a}.${prop.fieldNames[0]} at time zone 'UTC', ${ISO_TIME})`;
      if (type.startsWith('bigint') || type.startsWith('int8')) return prop.runtimeType === 'number' ? `${a}.${prop.fieldNames[0]}` : undefined;
      return AS_IS.test(type) ? `${a}.${prop.fieldNames[0]}` : undefined;
    }
    case ReferenceKind.MANY_TO_ONE:
      return `${a}.${prop.fieldNames[0]}`;
    case ReferenceKind.ONE_TO_ONE:
      return prop.owner ? `${a}.${prop.fieldNames[0]}` : undefined;
    case ReferenceKind.ONE_TO_MANY: {
      const target = c.em.getMetadata().find(prop.type)!;
      const t = c.alias();
      return `coalesce((select json_agg(${t}.${idColumn(target)} order by ${orderOf(meta, prop.name, target, t)}) from ${table(target)} ${t} where ${t}.${column(target, prop.mappedBy)} = ${a}.${idColumn(meta)}), '[]'::json)`;
    }
    case ReferenceKind.MANY_TO_MANY: {
      if (!prop.owner) return undefined;
      const p = c.alias();
      // By the other side's key: the order MikroORM gives a collection whose `orderBy` is its key.
      return `coalesce((select json_agg(${p}.${prop.inverseJoinColumns[0]} order by ${p}.${prop.inverseJoinColumns[0]}) from ${prop.pivotTable} ${p} where ${p}.${prop.joinColumns[0]} = ${a}.${idColumn(meta)}), '[]'::json)`;
    }
    default:
      return undefined;
  }
}

/** json_build_object takes at most 100 arguments: 50 fields. */
const MAX_FIELDS = 50;

function compile(c: Compilation, cls: SerializerClass, meta: EntityMetadata, alias: string): string | undefined {
  const plan: readonly FieldPlan[] = new cls({ em: c.em, settings: c.settings, depth: c.depth }).fieldPlan(meta);
  if (plan.length > MAX_FIELDS) return undefined;
  const parts: string[] = [];
  for (const field of plan) {
    const shown = field.getter ? GETTERS.get(field.getter)?.(c, alias, meta) : propertySql(c, alias, meta, field.prop);
    if (shown === undefined) return undefined;
    parts.push(`'${field.wire.replace(/'/g, "''")}', ${shown}`);
  }
  return `json_build_object(${parts.join(', ')})`;
}

/** Compiled expressions, per metadata (one ORM), settings, serializer class, entity class and alias. */
const compiled = new WeakMap<object, WeakMap<ChatSettings, Map<SerializerClass, Map<string, string | null>>>>();

/**
 * The SQL expression of the representation `cls` gives an entity of `entity`'s class read from
 * alias `alias`, or undefined when it cannot be built in SQL. Compiled once, then reused.
 */
export function representationSql(em: EntityManager, settings: ChatSettings, cls: SerializerClass, entity: Function, alias: string): string | undefined {
  const metadata = em.getMetadata();
  const meta = metadata.find(entity.name)!;
  let bySettings = compiled.get(metadata);
  if (!bySettings) compiled.set(metadata, (bySettings = new WeakMap()));
  let byClass = bySettings.get(settings);
  if (!byClass) bySettings.set(settings, (byClass = new Map()));
  let byKey = byClass.get(cls);
  if (!byKey) byClass.set(cls, (byKey = new Map()));
  const key = `${meta.className} ${alias}`;
  if (!byKey.has(key)) {
    let n = 0;
    byKey.set(key, compile({ em, settings, depth: 0, alias: () => `${alias}_${++n}` }, cls, meta, alias) ?? null);
  }
  return byKey.get(key) ?? undefined;
}
