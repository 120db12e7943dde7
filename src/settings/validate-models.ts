/** Start-up checks of `settings.models`: each swapped class is an entity, extends the right base, and can be auto-created where needed. */
import { MetadataStorage, ReferenceKind, type EntityMetadata } from '@mikro-orm/core';
import { ABSTRACT_BASES, DEFAULT_MODELS } from '../entities/index.js';
import type { ConfigurationProblem } from '../errors/configuration-error.js';
import { REQUIRED_SERIALIZER } from '../serializers/names.js';
import type { EntityClass } from '../swappable/registry.js';
import { SWAP_TOKENS, isRoomToken, isSwapToken, type SwapToken } from '../swappable/tokens.js';
import { didYouMean } from './suggest.js';

/** The decorator metadata MikroORM recorded for a class, if it carries `@Entity()`. */
export function entityMetadataOf(cls: Function): EntityMetadata | undefined {
  return Object.values(MetadataStorage.getMetadata()).find(meta => meta.class === cls);
}

/** Checks the `models` setting and returns the valid overrides (token → custom class). */
export function checkModels(
  models: unknown,
  serializers: Record<string, unknown>,
  problems: ConfigurationProblem[],
): Map<SwapToken, EntityClass> {
  const overrides = new Map<SwapToken, EntityClass>();
  if (models === undefined) return overrides;
  if (!isPlainObject(models)) {
    problems.push({ path: 'models', message: 'must be an object mapping a model token (e.g. Message) to an entity class' });
    return overrides;
  }
  for (const [token, value] of Object.entries(models)) {
    const path = `models.${token}`;
    if (token === 'Room') {
      problems.push({
        path,
        message:
          'Room cannot be swapped: it is the polymorphic base every room type inherits from. ' +
          'Swap a concrete room type instead: extend AbstractOneToOneChat, AbstractGroupChat or AbstractChannel and register it under OneToOneChat, GroupChat or Channel.',
      });
      continue;
    }
    if (!isSwapToken(token)) {
      problems.push({ path, message: `unknown model token '${token}'.${didYouMean(token, SWAP_TOKENS)} Swappable models: ${[...SWAP_TOKENS].sort().join(', ')}` });
      continue;
    }
    const problem = checkModelClass(token, value);
    if (problem) {
      problems.push({ path, message: problem });
      continue;
    }
    const cls = value as EntityClass;
    if (cls === DEFAULT_MODELS[token]) continue;
    overrides.set(token, cls);
    const required = REQUIRED_SERIALIZER[token];
    if (required && serializers[required] === undefined) {
      problems.push({
        path,
        message:
          `${cls.name} replaces the default ${token}, so it needs a matching serializer: ` +
          `write one that extends ${required.replace(/Serializer$/, 'SerializerMixin')} and register it as serializers.${required}`,
      });
    }
    if (token === 'RoomProperty') problems.push(...checkAutoCreatable(cls, path));
  }
  return overrides;
}

/** Why a value cannot stand for `token`, or undefined when it can. */
function checkModelClass(token: SwapToken, value: unknown): string | undefined {
  const base = ABSTRACT_BASES[token];
  if (typeof value !== 'function') {
    return `must be an entity class that extends ${base.name}, got ${describe(value)}`;
  }
  if (value === DEFAULT_MODELS[token]) return undefined;
  if (!(value.prototype instanceof base)) {
    return `${value.name} must extend ${base.name} (import it from 'realtime-chat-messaging')`;
  }
  if (value.prototype instanceof DEFAULT_MODELS[token]) {
    return `${value.name} extends the default ${token}; extend ${base.name} instead, so the default table is not inherited`;
  }
  const meta = entityMetadataOf(value);
  if (!meta) return `${value.name} has no @Entity() decorator: add @Entity() to the class`;
  if (meta.abstract) return `${value.name} is declared abstract; register a concrete class (@Entity() without abstract: true)`;
  if (isRoomToken(token) && meta.discriminatorValue !== undefined && meta.discriminatorValue !== token) {
    return `${value.name} sets discriminatorValue '${String(meta.discriminatorValue)}', but a ${token} is stored as type '${token}': remove discriminatorValue (the package sets it)`;
  }
  return undefined;
}

/**
 * A custom RoomProperty is created with no arguments whenever a room is saved, so every field it
 * adds needs a default value or must be nullable.
 */
function checkAutoCreatable(cls: EntityClass, path: string): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  let probe: Record<string, unknown> = {};
  try {
    probe = new cls() as Record<string, unknown>;
  } catch (error) {
    return [{ path, message: `${cls.name} must be constructible without arguments (RoomProperty rows are created automatically): ${(error as Error).message}` }];
  }
  for (let c: Function = cls; c !== ABSTRACT_BASES.RoomProperty && c !== Object; c = Object.getPrototypeOf(c)) {
    const meta = entityMetadataOf(c) ?? Object.values(MetadataStorage.getMetadata()).find(m => m.className === c.name);
    for (const prop of Object.values(meta?.properties ?? {})) {
      if (prop.primary || prop.nullable || prop.default !== undefined || prop.defaultRaw !== undefined) continue;
      if (prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY || prop.persist === false) continue;
      if (probe[prop.name] !== undefined) continue;
      problems.push({
        path,
        message:
          `${cls.name}.${prop.name} is required and has no default, but RoomProperty rows are created automatically with no arguments: ` +
          `give it a default (e.g. ${prop.name} = ...) or make it nullable ({ nullable: true })`,
      });
    }
  }
  return problems;
}

/** Whether a value is a plain object (not null, an array or a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** A short description of a wrong value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'function') return `the function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
