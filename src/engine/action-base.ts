/**
 * What every action shares: the ORM, the settings, the permission rules, the notification
 * provider, one transaction per action, and the serializers the settings name.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { PermissionHandler } from '../permissions/permission-handler.js';
import type { ModelSerializer, SerializerClass } from '../serializers/model-serializer.js';
import type { SerializerName } from '../serializers/names.js';
import type { ChatSettings } from '../settings/types.js';
import { recordRoomEvents } from './event-log.js';
import type { ActionResult } from './events.js';
import { NoopNotificationProvider, type NotificationProvider } from './notifications.js';

/** What an engine is built from. */
export interface EngineOptions {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions?: PermissionHandler;
  readonly notifier?: NotificationProvider;
}

/** One action's transaction: its entity manager, and work to do once it commits. */
export interface Transaction {
  readonly em: EntityManager;
  afterCommit(task: () => Promise<void>): void;
}

/** The base of the engine's action classes. */
export abstract class ActionBase {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions: PermissionHandler;
  readonly notifier: NotificationProvider;

  constructor(options: EngineOptions) {
    this.orm = options.orm;
    this.settings = options.settings;
    this.permissions = options.permissions ?? new PermissionHandler();
    this.notifier = options.notifier ?? new NoopNotificationProvider();
  }

  /**
   * Runs an action in one transaction: everything it writes lands together or not at all, its
   * room events numbered and logged in the same transaction.
   */
  protected async inTransaction<R extends ActionResult>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    const tasks: (() => Promise<void>)[] = [];
    const result = await this.orm.em.fork().transactional(async em => {
      const outcome = await work({ em, afterCommit: task => void tasks.push(task) });
      await em.flush();
      return { ...outcome, events: await recordRoomEvents(em, outcome.events, this.settings.eventRetention, outcome.groups) };
    });
    for (const task of tasks) {
      try {
        await task();
      } catch (error) {
        // A failing push provider must not undo a committed message.
        console.error('realtime-chat-messaging: a post-commit task failed:', error);
      }
    }
    return result;
  }

  /** Runs read-only `work` on a fresh entity manager. */
  protected async reading<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return work(this.orm.em.fork());
  }

  /** The serializer the settings name, for this entity manager and acting user. */
  protected serializer<S extends ModelSerializer = ModelSerializer>(name: SerializerName, em: EntityManager, user?: AbstractUser): S {
    const cls = this.settings.serializers[name] as unknown as SerializerClass<S>;
    return new cls({ em, settings: this.settings, user });
  }
}
