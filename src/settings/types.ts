/** The shape of the chat settings: what users write (`ChatSettingsInput`) and what the package reads (`ChatSettings`). */
import type { EntityClass } from '../swappable/registry.js';
import type { SwapToken } from '../swappable/tokens.js';
import type { SerializerClass } from '../serializers/model-serializer.js';
import type { SerializerName } from '../serializers/names.js';

/** Any class, for the pluggable handler settings. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClass = new (...args: any[]) => object;

/** Settings as the user writes them: every key optional, models and serializers merged over the defaults. */
export interface ChatSettingsInput {
  /** Swap token → entity class (a subclass of the token's abstract base). `Room` may not be swapped. */
  models?: Partial<Record<SwapToken, EntityClass>>;
  /** Serializer name → serializer class (a subclass of the name's mixin). */
  serializers?: Partial<Record<SerializerName, SerializerClass>>;
  /** Permission handler class (a subclass of the default one); null keeps the package's. */
  permissionHandlerClass?: AnyClass | null;
  /**
   * WebSocket event type → handler, merged over the defaults: the name of a method of the consumer
   * class, a function `(consumer, data, request)`, or `null` to remove the event type.
   */
  eventMapper?: Record<string, unknown>;
  /** Event handler (engine) class; null keeps the package's. */
  eventHandlerClass?: AnyClass | null;
  /** Exception handler class mapping errors to protocol error codes; null keeps the package's. */
  exceptionHandlerClass?: AnyClass | null;
  /** WebSocket connection handler class; null keeps the package's. */
  chatConsumerClass?: AnyClass | null;
  /** Where WebSocket clients connect (default `messaging/`). */
  websocketPath?: string;
  /** Delete flags a message (`isDeleted`) instead of removing its row (default false). */
  messageSoftDelete?: boolean;
  /** Create chat notifications and send the pending ones on connect (default true). */
  enableNotification?: boolean;
  /** Seconds without heartbeat after which a session is expired (default 60). */
  inactivityThreshold?: number;
  /** Longest message content accepted, in characters (default 10,000). */
  maxMessageLength?: number;
  /** Events kept per room for reconnecting clients (default 1,000); a client further behind refetches. */
  eventRetention?: number;
  /** Most media files one message may carry (default 10). */
  maxMediaPerMessage?: number;
}

/** Resolved settings: every key present, models and serializers complete. */
export interface ChatSettings {
  readonly models: Readonly<Record<SwapToken, EntityClass>>;
  readonly serializers: Readonly<Record<SerializerName, SerializerClass>>;
  readonly permissionHandlerClass: AnyClass | null;
  readonly eventMapper: Readonly<Record<string, unknown>>;
  readonly eventHandlerClass: AnyClass | null;
  readonly exceptionHandlerClass: AnyClass | null;
  readonly chatConsumerClass: AnyClass | null;
  readonly websocketPath: string;
  readonly messageSoftDelete: boolean;
  readonly enableNotification: boolean;
  readonly inactivityThreshold: number;
  readonly maxMessageLength: number;
  readonly eventRetention: number;
  readonly maxMediaPerMessage: number;
}
