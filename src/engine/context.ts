/**
 * `EngineContext`: what one engine action runs over, like Koa's `ctx`: the engine's services (the
 * ORM, the settings, the permission rules, the notification provider), the acting user, the
 * entity manager of this call, and its transaction (room events numbered and logged in it).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { PermissionHandler } from '../permissions/permission-handler.js';
import type { ModelSerializer, SerializerClass } from '../serializers/model-serializer.js';
import type { SerializedEntity, SerializerName } from '../serializers/names.js';
import type { ChatSettings } from '../settings/types.js';
import { recordRoomEvents } from './event-log.js';
import type { ActionResult } from './events.js';
import { NoopNotificationProvider, type NotificationProvider } from './notifications.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';

/** What an engine is built from. */
export interface EngineOptions {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions?: PermissionHandler;
  readonly notifier?: NotificationProvider;
  /** Where failures after a commit (a push provider that threw) are reported; default the console. */
  readonly logger?: ChatLogger;
}

/** What every action shares, built once per engine (Koa's `app`, where `EngineContext` is its `ctx`). */
export interface EngineServices {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions: PermissionHandler;
  readonly notifier: NotificationProvider;
  readonly logger: ChatLogger;
}

/** One action's transaction: its entity manager, and work to do once it commits. */
export interface Transaction {
  readonly em: EntityManager;
  afterCommit(task: () => Promise<void>): void;
}

/** The engine's services with their defaults filled in. */
export function engineServices(options: EngineOptions): EngineServices {
  return {
    orm: options.orm,
    settings: options.settings,
    permissions: options.permissions ?? new PermissionHandler(),
    notifier: options.notifier ?? new NoopNotificationProvider(),
    logger: options.logger ?? consoleLogger,
  };
}

/** The serializer the settings name, for this entity manager and acting user. */
export function configuredSerializer<N extends SerializerName>(settings: ChatSettings, name: N, em: EntityManager, user?: AbstractUser): ModelSerializer<SerializedEntity<N>> {
  // The settings hold every serializer as a class of `ModelSerializer<object>`; the name says which entity it serves.
  const cls = settings.serializers[name] as unknown as SerializerClass<ModelSerializer<SerializedEntity<N>>>;
  return new cls({ em, settings, user });
}

/**
 * Runs `work` in one transaction: everything it writes lands together or not at all, its room
 * events numbered and logged in the same transaction. Tasks registered with `afterCommit` run
 * once it committed; one that fails is logged, never undoes what was committed.
 */
export async function runTransaction<R extends ActionResult>(services: EngineServices, work: (tx: Transaction) => Promise<R>): Promise<R> {
  const tasks: (() => Promise<void>)[] = [];
  const result = await services.orm.em.fork().transactional(async em => {
    const outcome = await work({ em, afterCommit: task => void tasks.push(task) });
    await em.flush();
    return { ...outcome, events: await recordRoomEvents(em, outcome.events, services.settings.eventRetention, outcome.groups) };
  });
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      // A failing push provider must not undo a committed message.
      services.logger.error('a post-commit task failed', error);
    }
  }
  return result;
}

/** One action's context: the engine's services, the acting user and this call's entity manager. */
export class EngineContext implements EngineServices {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions: PermissionHandler;
  readonly notifier: NotificationProvider;
  readonly logger: ChatLogger;
  #em: EntityManager | undefined;

  constructor(
    services: EngineServices,
    /** The user the action is done for. */
    readonly user: AbstractUser,
    em?: EntityManager,
  ) {
    this.orm = services.orm;
    this.settings = services.settings;
    this.permissions = services.permissions;
    this.notifier = services.notifier;
    this.logger = services.logger;
    this.#em = em;
  }

  /** This call's entity manager: the transaction's inside `transaction()`, else a fork of its own (made on first use). */
  get em(): EntityManager {
    return (this.#em ??= this.orm.em.fork());
  }

  /** The same user on a fresh entity manager: reading again from scratch, e.g. after a transaction failed. */
  fresh(): EngineContext {
    return new EngineContext(this, this.user);
  }

  /** The serializer the settings name, for this context's entity manager and user. */
  serializer<N extends SerializerName>(name: N): ModelSerializer<SerializedEntity<N>> {
    return configuredSerializer(this.settings, name, this.em, this.user);
  }

  /** Runs `work` in one transaction of its own (see `runTransaction`), over a context on the transaction's entity manager. */
  transaction<R extends ActionResult>(work: (tx: TransactionContext) => Promise<R>): Promise<R> {
    return runTransaction(this, tx => work(new TransactionContext(this, this.user, tx)));
  }
}

/** The context inside a transaction: its entity manager, and work to do once it commits. */
export class TransactionContext extends EngineContext implements Transaction {
  readonly #tx: Transaction;

  constructor(services: EngineServices, user: AbstractUser, tx: Transaction) {
    super(services, user, tx.em);
    this.#tx = tx;
  }

  /** Runs `task` after the transaction commits (a push notification, say); not at all if it rolls back. */
  afterCommit(task: () => Promise<void>): void {
    this.#tx.afterCommit(task);
  }
}
