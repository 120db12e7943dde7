/**
 * `ModelSerializer`: the base of every serializer. It reads an entity into a plain JSON object
 * (snake_case wire names) and validates client input with class-validator into entity data.
 *
 * Conventions, as in Django REST framework:
 * - `static fields` lists the output fields (or `'__all__'`, minus `static exclude`);
 * - a method `get<Field>(entity)` computes an output field (DRF's SerializerMethodField);
 * - class-validator decorators on a property make it a writable input field; the others are read-only;
 * - a method `validate<Field>(value)` cleans one input field after its decorators passed;
 * - `static relatedFields` maps write-only `*_id` inputs to the relation they set.
 */
import { Collection, MetadataStorage, Reference, type EntityMetadata, type EntityProperty, ReferenceKind, type RequiredEntityData, wrap } from '@mikro-orm/core';
import { getMetadataStorage, validate as runValidators, type ValidationError } from './class-validator.js';
import { ValidationFailed, type FieldErrors } from '../errors/chat-error.js';
import { propertyOf } from '../orm/property-of.js';
import { model } from '../swappable/registry.js';
import type { SwapToken } from '../swappable/tokens.js';
import { Room } from '../entities/room.js';
import type { SerializerContext } from './context.js';
import { toMethodSuffix, toPropertyName, toWireName } from './field-names.js';
import type { SerializerName } from './names.js';

/** A write-only input field that names a related object by primary key. */
export interface RelatedFieldSpec {
  /** The entity property it sets, e.g. `room`. */
  readonly property: string;
  /** The model it points at: a swap token, or `Room` for any room. */
  readonly target: SwapToken | 'Room';
  /** Whether the input may omit it (or send null). */
  readonly optional?: boolean;
}

/** A JSON object as serializers produce it. */
export type Representation = Record<string, unknown>;

/** Options of `validate`. */
export interface ValidateOptions {
  /** Missing fields are left alone (an update), rather than reported as required. */
  readonly partial?: boolean;
  /** Related objects the caller already loaded and checked, by wire name (`room_id`): used instead of a lookup. */
  readonly resolved?: Readonly<Record<string, object>>;
}

/** The constructor side of a serializer class, as the settings hold it. */
export interface SerializerClass<S extends ModelSerializer = ModelSerializer> {
  new (context: SerializerContext): S;
  readonly model: SwapToken | null;
  readonly fields: readonly string[] | '__all__';
  readonly exclude: readonly string[];
  readonly declaredFields: readonly string[];
  readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>>;
  readonly populate: readonly string[];
}

/** How deep nested serializers go before a related object is rendered by its id alone. */
export const MAX_NESTING_DEPTH = 3;

/** How one output field is computed: by a getter, or from a property. */
export interface FieldPlan {
  readonly wire: string;
  readonly getter?: (this: ModelSerializer, entity: object) => unknown;
  readonly prop?: EntityProperty;
}

/** The field plans of each serializer class for each entity class, computed once. */
const plans = new WeakMap<Function, Map<EntityMetadata, readonly FieldPlan[]>>();

/** Base class of every serializer. */
export abstract class ModelSerializer<E extends object = object> {
  /** Token of the model this serializer reads and writes. */
  static readonly model: SwapToken | null = null;
  /** Output fields by wire name, or every entity property plus `declaredFields`. */
  static readonly fields: readonly string[] | '__all__' = '__all__';
  /** Wire names left out of `'__all__'`. */
  static readonly exclude: readonly string[] = [];
  /** Computed output fields (each has a `get<Field>` method); part of `'__all__'`. */
  static readonly declaredFields: readonly string[] = [];
  /** Write-only `*_id` inputs and the relation each one sets. */
  static readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {};
  /** Relations loaded in one batch before serializing many entities. */
  static readonly populate: readonly string[] = [];

  constructor(readonly context: SerializerContext) {}

  /** The serializer class of this instance, with its static configuration. */
  protected get spec(): SerializerClass {
    return this.constructor as unknown as SerializerClass;
  }

  /** The entity as a JSON object, or null. */
  async serialize(entity: E | null | undefined): Promise<Representation | null> {
    if (entity == null) return null;
    return this.toRepresentation(entity);
  }

  /** Several entities, their relations loaded in batches first. */
  async serializeMany(entities: readonly E[]): Promise<Representation[]> {
    if (entities.length > 0 && this.spec.populate.length > 0) {
      // Relation paths the serializer class names as strings: MikroORM types them per entity, which a class written for any `E` cannot.
      await this.context.em.populate([...entities], this.spec.populate as never[]);
    }
    const out: Representation[] = [];
    for (const entity of entities) out.push(await this.toRepresentation(entity));
    return out;
  }

  /** Builds the representation field by field; override to reshape it. */
  protected async toRepresentation(entity: E): Promise<Representation> {
    const out: Representation = {};
    for (const field of this.fieldPlan(this.metadataOf(entity))) {
      out[field.wire] = field.getter ? await field.getter.call(this, entity) : await this.plainValue(entity, field.prop);
    }
    return out;
  }

  /** How each output field of an entity of `meta` is computed (cached per serializer and entity class). */
  fieldPlan(meta: EntityMetadata): readonly FieldPlan[] {
    let byMeta = plans.get(this.constructor);
    if (!byMeta) plans.set(this.constructor, (byMeta = new Map()));
    let plan = byMeta.get(meta);
    if (!plan) {
      plan = this.outputFields(meta).map(wire => {
        const getter: unknown = Reflect.get(this, `get${toMethodSuffix(wire)}`);
        // A method found by its name: the convention says it takes the entity.
        if (typeof getter === 'function') return { wire, getter: getter as FieldPlan['getter'] };
        return { wire, prop: propertyOf(meta, toPropertyName(wire)) };
      });
      byMeta.set(meta, plan);
    }
    return plan;
  }

  /** The wire names this serializer outputs for an entity of `meta`. */
  protected outputFields(meta: EntityMetadata): string[] {
    const writeOnly = new Set(Object.keys(this.spec.relatedFields));
    if (this.spec.fields !== '__all__') return this.spec.fields.filter(f => !writeOnly.has(f));
    const exclude = new Set(this.spec.exclude);
    const names = new Set<string>();
    const own = declaredProperties(meta);
    for (const prop of meta.props) {
      if (prop.hidden || !own.has(prop.name)) continue;
      if (prop.kind === ReferenceKind.ONE_TO_MANY && !this.hasGetter(toWireName(prop.name))) continue;
      names.add(toWireName(prop.name));
    }
    for (const declared of this.spec.declaredFields) names.add(declared);
    return [...names].filter(f => !exclude.has(f) && !writeOnly.has(f));
  }

  private hasGetter(field: string): boolean {
    return typeof Reflect.get(this, `get${toMethodSuffix(field)}`) === 'function';
  }

  /** A property's value without a getter: dates as ISO text, relations as primary keys. */
  protected async plainValue(entity: E, prop: EntityProperty | undefined): Promise<unknown> {
    if (!prop) return null;
    const value: unknown = Reflect.get(entity, prop.name);
    if (value == null) return null;
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Collection) {
      const items = value.isInitialized() ? value.getItems() : (await value.load()).getItems();
      return items.map(item => primaryKeyOf(item));
    }
    if (Reference.isReference(value) || (typeof value === 'object' && prop.kind !== ReferenceKind.SCALAR && prop.kind !== ReferenceKind.EMBEDDED)) {
      return primaryKeyOf(Reference.unwrapReference(value));
    }
    return value;
  }

  /** The loaded related entity behind a relation property (loads it if needed). */
  protected async related<T extends object>(entity: object, property: string): Promise<T | null> {
    const value: unknown = Reflect.get(entity, property);
    if (typeof value !== 'object' || value === null) return null;
    // The caller names the relation, and with it the entity type behind it.
    const target = Reference.unwrapReference(value) as T;
    if (!wrap(target).isInitialized()) await wrap(target).init();
    return target;
  }

  /** The loaded items of a collection property. */
  protected async items<T extends object>(entity: E, property: string): Promise<T[]> {
    const collection: unknown = Reflect.get(entity, property);
    if (!(collection instanceof Collection)) return [];
    // Fully: a collection may hold references added but never loaded.
    if (!collection.isInitialized(true)) await collection.init();
    return collection.getItems();
  }

  /** Another serializer of the settings, one level deeper, sharing this context. */
  protected serializer<S extends ModelSerializer = ModelSerializer>(name: SerializerName): S {
    const cls = this.context.settings.serializers[name] as unknown as SerializerClass<S>;
    return new cls({ ...this.context, depth: (this.context.depth ?? 0) + 1 });
  }

  /** Whether nested serializers may still go one level deeper. */
  protected canNest(): boolean {
    return (this.context.depth ?? 0) < MAX_NESTING_DEPTH;
  }

  /**
   * Validates client input (wire names) and returns entity data (property names) with related
   * objects loaded. Throws `ValidationFailed` with field errors; never anything else for bad input.
   */
  async validate(input: unknown, options: ValidateOptions = {}): Promise<Record<string, unknown>> {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw ValidationFailed.fromFields({ non_field_errors: ['Invalid data. Expected an object.'] });
    }
    const writable = this.writableFields();
    const candidate: Record<string, unknown> = Object.create(this.constructor.prototype);
    for (const field of writable) {
      if (Object.hasOwn(input, field)) candidate[field] = Reflect.get(input, field);
    }
    const errors: FieldErrors = {};
    const failures = await runValidators(candidate, {
      skipMissingProperties: options.partial ?? false,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    collectValidationErrors(failures, errors);

    const data: Record<string, unknown> = {};
    for (const field of writable) {
      if (errors[field] || !Object.hasOwn(candidate, field)) continue;
      let value = candidate[field];
      const cleaner: unknown = Reflect.get(this, `validate${toMethodSuffix(field)}`);
      if (typeof cleaner === 'function') {
        try {
          value = await cleaner.call(this, value);
        } catch (error) {
          if (error instanceof ValidationFailed) {
            (errors[field] ??= []).push(error.message);
            continue;
          }
          throw error;
        }
      }
      const related = this.spec.relatedFields[field];
      const known = options.resolved?.[field];
      if (related && known) {
        data[related.property] = known;
      } else if (related) {
        const resolved = await this.resolveRelated(related, value);
        if (resolved.error) (errors[field] ??= []).push(resolved.error);
        else data[related.property] = resolved.value;
      } else {
        data[toPropertyName(field)] = value;
      }
    }
    if (Object.keys(errors).length === 0) this.checkColumnBounds(data, errors);
    if (Object.keys(errors).length > 0) throw ValidationFailed.fromFields(errors);
    return this.coerceToEntityTypes(data);
  }

  /** Validates input and creates the entity (persisted and flushed); `extra` sets what the input may not. */
  async create(input: unknown, extra: Record<string, unknown> = {}, options: ValidateOptions = {}): Promise<E> {
    const data = await this.validate(input, options);
    // Validated input and the caller's extra fields: entity data of `E`, which their `Record` types cannot say.
    const entity = this.context.em.create(this.modelClass(), { ...data, ...extra } as RequiredEntityData<E>);
    await this.context.em.persistAndFlush(entity);
    return entity;
  }

  /** Validates input (partially by default) and applies it to an existing entity, then flushes. */
  async update(instance: E, input: unknown, options: ValidateOptions = { partial: true }): Promise<E> {
    const data = await this.validate(input, options);
    // Validated input is entity data of `E`; MikroORM's types for `assign` cannot be met for a generic `E`.
    this.context.em.assign(instance, data as never);
    await this.context.em.flush();
    return instance;
  }

  /** The entity class this serializer writes: whatever the settings name for its token. */
  protected modelClass(): new (...args: never[]) => E {
    const token = this.spec.model;
    if (!token) throw new Error(`${this.constructor.name} has no model token and cannot write entities`);
    return model(token) as unknown as new (...args: never[]) => E;
  }

  /** Wire names of the writable fields: the properties carrying class-validator decorators. */
  protected writableFields(): string[] {
    const metas = getMetadataStorage().getTargetValidationMetadatas(this.constructor, '', true, false);
    return [...new Set(metas.map(m => m.propertyName))].sort();
  }

  private async resolveRelated(spec: RelatedFieldSpec, id: unknown): Promise<{ value?: unknown; error?: string }> {
    if (id == null) return spec.optional ? { value: null } : { error: 'This field may not be null.' };
    const target = spec.target === 'Room' ? Room : model(spec.target);
    const found = await this.context.em.findOne(target as never, { id } as never);
    if (!found) return { error: `Invalid pk "${String(id)}" - object does not exist.` };
    return { value: found };
  }

  /**
   * Holds every value to what its column can store, whatever the decorators said: integers within
   * the column's range, strings within its length, dates PostgreSQL can hold. A custom model's own
   * fields are bounded the same way. Errors are keyed by wire name.
   */
  private checkColumnBounds(data: Record<string, unknown>, errors: FieldErrors): void {
    if (!this.spec.model) return;
    const meta = this.context.em.getMetadata().find(this.modelClass().name);
    if (!meta) return;
    for (const [key, value] of Object.entries(data)) {
      const prop = propertyOf(meta, key);
      if (!prop || prop.kind !== ReferenceKind.SCALAR) continue;
      const problem = columnBoundProblem(prop, value);
      if (problem) (errors[toWireName(key)] ??= []).push(problem);
    }
  }

  /** Turns ISO date strings into `Date` for date properties of the model. */
  private coerceToEntityTypes(data: Record<string, unknown>): Record<string, unknown> {
    if (!this.spec.model) return data;
    const meta = this.context.em.getMetadata().find(this.modelClass().name);
    if (!meta) return data;
    for (const [key, value] of Object.entries(data)) {
      const prop = propertyOf(meta, key);
      if (typeof value === 'string' && prop && (prop.runtimeType === 'Date' || prop.type === 'datetime' || prop.type === 'Date')) {
        data[key] = new Date(value);
      }
    }
    return data;
  }

  private metadataOf(entity: E): EntityMetadata {
    return wrap(entity, true).__meta;
  }
}

/** The primary key of an entity or reference, as the wire shows it. */
export function primaryKeyOf(entity: object): unknown {
  return wrap(Reference.unwrapReference(entity), true).getPrimaryKey();
}

function collectValidationErrors(failures: ValidationError[], into: FieldErrors, prefix = ''): void {
  for (const failure of failures) {
    const field = prefix + failure.property;
    if (failure.constraints) (into[field] ??= []).push(...Object.values(failure.constraints).sort());
    if (failure.children?.length) collectValidationErrors(failure.children, into, `${field}.`);
  }
}

/** The ranges of PostgreSQL's integer column types. */
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  smallint: [-32768, 32767],
  int2: [-32768, 32767],
  int: [-2147483648, 2147483647],
  integer: [-2147483648, 2147483647],
  int4: [-2147483648, 2147483647],
  // A bigint read back as a JS number is exact only up to 2^53.
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int8: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Years PostgreSQL's timestamps hold that a client may reasonably send. */
const YEAR_RANGE = [1, 9999] as const;

/** Why a value does not fit its column, or undefined when it does. */
function columnBoundProblem(prop: EntityProperty, value: unknown): string | undefined {
  const column = String(prop.columnTypes?.[0] ?? prop.type ?? '').toLowerCase().replace(/\(.*$/, '');
  if (typeof value === 'number') {
    const range = INTEGER_RANGES[column];
    if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) return `Ensure this value is a whole number from ${range[0]} to ${range[1]}.`;
    if (!Number.isFinite(value)) return 'Ensure this value is a finite number.';
  }
  if (typeof value === 'string' && prop.length && (column === 'varchar' || column === 'character varying' || column === 'string') && value.length > prop.length) {
    return `Ensure this field has no more than ${prop.length} characters.`;
  }
  if (column.startsWith('timestamp') || column === 'date' || prop.runtimeType === 'Date') {
    const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
    if (date && (Number.isNaN(date.getTime()) || date.getUTCFullYear() < YEAR_RANGE[0] || date.getUTCFullYear() > YEAR_RANGE[1])) {
      return `Ensure this is a date between the years ${YEAR_RANGE[0]} and ${YEAR_RANGE[1]}.`;
    }
  }
  return undefined;
}

const declared = new WeakMap<EntityMetadata, ReadonlySet<string>>();

/**
 * The properties an entity class declares itself or inherits, without those of its siblings: with
 * single-table inheritance MikroORM gives every room type the columns of all of them (a one-to-one
 * chat would show a group's `name` and `creator` as null). Read from the decorators of the class
 * chain; a class without decorators (an `EntitySchema`) keeps every property.
 */
function declaredProperties(meta: EntityMetadata): ReadonlySet<string> {
  let names = declared.get(meta);
  if (!names) {
    const found = new Set<string>();
    for (let cls: Function | null = meta.class; cls && cls !== Object && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
      // Only classes a decorator marked: asking about any other would register it with MikroORM.
      if (!Object.hasOwn(cls, MetadataStorage.PATH_SYMBOL)) continue;
      for (const name of Object.keys(MetadataStorage.getMetadataFromDecorator(cls).properties ?? {})) found.add(name);
    }
    names = found.size > 0 ? found : new Set(meta.props.map(p => p.name));
    declared.set(meta, names);
  }
  return names;
}
