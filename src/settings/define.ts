/** `defineChatSettings`: validates what the user wrote and returns complete, frozen settings. */
import { DEFAULT_MODELS } from '../entities/index.js';
import { ChatConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import { DEFAULT_SERIALIZERS, SERIALIZER_BASES } from '../serializers/defaults.js';
import type { SerializerClass } from '../serializers/model-serializer.js';
import { SERIALIZER_NAMES, isSerializerName, type SerializerName } from '../serializers/names.js';
import type { EntityClass } from '../swappable/registry.js';
import type { SwapToken } from '../swappable/tokens.js';
import { DEFAULT_SCALAR_SETTINGS, SETTING_KEYS } from './defaults.js';
import { didYouMean } from './suggest.js';
import type { ChatSettings, ChatSettingsInput } from './types.js';
import { checkModels, describe, isPlainObject } from './validate-models.js';

/** Marks settings that went through `defineChatSettings`. */
const VALIDATED = Symbol('realtime-chat-messaging.settings');

/**
 * Validates the settings and merges them over the defaults. Every problem is reported at once in a
 * `ChatConfigurationError`, each with what to change.
 */
export function defineChatSettings(input: ChatSettingsInput = {}): ChatSettings {
  const problems: ConfigurationProblem[] = [];
  if (!isPlainObject(input)) {
    throw new ChatConfigurationError([{ path: '(settings)', message: `must be an object, got ${describe(input)}` }]);
  }
  for (const key of Object.keys(input)) {
    if (!SETTING_KEYS.includes(key)) {
      problems.push({ path: key, message: `unknown setting.${didYouMean(key, SETTING_KEYS)} Valid settings: ${SETTING_KEYS.join(', ')}` });
    }
  }
  const serializers = checkSerializers(input.serializers, problems);
  const overrides = checkModels(input.models, isPlainObject(input.serializers) ? input.serializers : {}, problems);
  const scalars = checkScalars(input, problems);
  if (problems.length > 0) throw new ChatConfigurationError(problems);

  const models = { ...DEFAULT_MODELS } as Record<SwapToken, EntityClass>;
  for (const [token, cls] of overrides) models[token] = cls;
  const settings: ChatSettings = {
    ...scalars,
    models: Object.freeze(models),
    serializers: Object.freeze({ ...DEFAULT_SERIALIZERS, ...serializers }),
  };
  Object.defineProperty(settings, VALIDATED, { value: true });
  return Object.freeze(settings);
}

/** Whether an object came out of `defineChatSettings`. */
export function isChatSettings(value: unknown): value is ChatSettings {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[VALIDATED] === true;
}

function checkSerializers(value: unknown, problems: ConfigurationProblem[]): Partial<Record<SerializerName, SerializerClass>> {
  const out: Partial<Record<SerializerName, SerializerClass>> = {};
  if (value === undefined) return out;
  if (!isPlainObject(value)) {
    problems.push({ path: 'serializers', message: 'must be an object mapping a serializer name (e.g. MessageSerializer) to a serializer class' });
    return out;
  }
  for (const [name, cls] of Object.entries(value)) {
    const path = `serializers.${name}`;
    if (!isSerializerName(name)) {
      problems.push({ path, message: `unknown serializer name.${didYouMean(name, SERIALIZER_NAMES)} Serializer names: ${SERIALIZER_NAMES.join(', ')}` });
      continue;
    }
    const base = SERIALIZER_BASES[name];
    if (typeof cls !== 'function') {
      problems.push({ path, message: `must be a serializer class that extends ${base.name}, got ${describe(cls)}` });
      continue;
    }
    if (cls !== base && !(cls.prototype instanceof base)) {
      problems.push({ path, message: `${cls.name} must extend ${base.name} (import it from 'realtime-chat-messaging')` });
      continue;
    }
    out[name] = cls as SerializerClass;
  }
  return out;
}

type Scalars = Omit<ChatSettings, 'models' | 'serializers'>;

function checkScalars(input: ChatSettingsInput, problems: ConfigurationProblem[]): Scalars {
  const merged = { ...DEFAULT_SCALAR_SETTINGS, ...pickDefined(input) } as Record<string, unknown>;
  for (const key of ['permissionHandlerClass', 'eventHandlerClass', 'exceptionHandlerClass', 'chatConsumerClass'] as const) {
    if (merged[key] !== null && typeof merged[key] !== 'function') {
      problems.push({ path: key, message: `must be a class (or null for the package's default), got ${describe(merged[key])}` });
    }
  }
  if (!isPlainObject(merged.eventMapper)) {
    problems.push({ path: 'eventMapper', message: `must be an object mapping an event type (e.g. 'message.pin') to its handler, got ${describe(merged.eventMapper)}` });
  } else {
    for (const [eventType, handler] of Object.entries(merged.eventMapper)) {
      if (handler !== null && typeof handler !== 'string' && typeof handler !== 'function') {
        problems.push({
          path: `eventMapper['${eventType}']`,
          message: `must name a method of the consumer class, be a function (consumer, data, request), or be null to remove the event type; got ${describe(handler)}`,
        });
      }
    }
  }
  if (typeof merged.websocketPath !== 'string' || merged.websocketPath.trim() === '') {
    problems.push({ path: 'websocketPath', message: `must be a non-empty path such as 'messaging/', got ${describe(merged.websocketPath)}` });
  }
  for (const key of ['messageSoftDelete', 'enableNotification'] as const) {
    if (typeof merged[key] !== 'boolean') problems.push({ path: key, message: `must be true or false, got ${describe(merged[key])}` });
  }
  for (const key of ['inactivityThreshold', 'maxMessageLength', 'eventRetention', 'maxMediaPerMessage'] as const) {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      problems.push({ path: key, message: `must be a positive number, got ${typeof v === 'number' ? String(v) : describe(v)}` });
    }
  }
  const { models: _m, serializers: _s, ...scalars } = merged;
  return { ...(scalars as unknown as Scalars), eventMapper: Object.freeze({ ...(merged.eventMapper as object) }) };
}

function pickDefined(input: ChatSettingsInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
