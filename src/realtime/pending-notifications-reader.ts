/**
 * The `chat.notifications` of sockets that open together (a reconnect storm), read in one
 * statement for all their users instead of one per socket. Used while the engine's
 * `pendingNotifications` is the package's own and the configured serializer compiles to SQL;
 * otherwise each socket asks the engine, so that an override still decides.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { EventHandler } from '../engine/event-handler.js';
import { NOTIFICATION_ROWS, pendingNotificationsOfUsers } from '../engine/pending-notifications.js';
import type { Representation } from '../serializers/model-serializer.js';
import { representationSql, type CompiledShown } from '../serializers/representation-sql.js';
import type { ChatSettings } from '../settings/types.js';
import { model } from '../swappable/registry.js';
import { Batched } from '../orm/batched.js';

type ByRoom = Record<string, Representation[]>;

export class PendingNotificationsReader {
  private readonly reads = new Batched<string, ByRoom>(userIds => this.read(userIds));
  private compiled: CompiledShown | undefined | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly engine: EventHandler,
    private readonly settings: ChatSettings,
  ) {}

  /** What `chat.notifications` carries for `user`: pending notifications by room id. */
  async of(user: AbstractUser): Promise<ByRoom> {
    if (this.engine.pendingNotifications !== EventHandler.prototype.pendingNotifications || !this.shown()) {
      return (await this.engine.pendingNotifications(user)).result;
    }
    return (await this.reads.get(user.id)) ?? {};
  }

  /** The configured serializer as SQL, worked out once (undefined: it has a getter of its own). */
  private shown(): CompiledShown | undefined {
    if (this.compiled === null) this.compiled = representationSql(this.orm.em.fork(), this.settings, this.settings.serializers.ChatNotificationSerializer, model('ChatNotification'), NOTIFICATION_ROWS);
    return this.compiled;
  }

  private read(userIds: string[]): Promise<Map<string, ByRoom>> {
    return pendingNotificationsOfUsers(this.orm.em.fork(), this.shown()!, userIds);
  }
}
