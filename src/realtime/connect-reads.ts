/**
 * What a socket reads as it opens: its user's rooms and, with notifications on, the pending
 * notifications `chat.notifications` carries. Sockets that open together (a reconnect storm) share
 * their statements: the rooms and the picks of all their users are one statement, and showing
 * what was picked a second, only when anything was. An engine whose `pendingNotifications` is
 * overridden, or a serializer that does not compile to SQL, is asked per socket instead, so that
 * it still decides.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { EventHandler } from '../engine/event-handler.js';
import { NOTIFICATION_ROWS, roomsAndPendingOfUsers, type RoomsAndPending } from '../engine/pending-notifications.js';
import type { Representation } from '../serializers/model-serializer.js';
import { representationSql, type CompiledShown } from '../serializers/representation-sql.js';
import type { ChatSettings } from '../settings/types.js';
import { model } from '../swappable/registry.js';
import { Batched } from '../orm/batched.js';
import type { UserRooms } from './user-rooms.js';

/** A socket's rooms, and its `chat.notifications` (pending notifications by room id) when notifications are on. */
export interface ConnectRead {
  readonly rooms: string[];
  readonly notifications: Record<string, Representation[]> | undefined;
}

export class ConnectReads {
  private readonly reads = new Batched<string, RoomsAndPending>(userIds => this.read(userIds));
  private compiled: CompiledShown | undefined | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly engine: EventHandler,
    private readonly settings: ChatSettings,
    private readonly userRooms: UserRooms,
  ) {}

  /** The rooms of `user`, and its pending notifications when notifications are on. */
  async of(user: AbstractUser): Promise<ConnectRead> {
    if (!this.settings.enableNotification) return { rooms: await this.userRooms.of(user.id), notifications: undefined };
    if (this.engine.pendingNotifications !== EventHandler.prototype.pendingNotifications || !this.shown()) {
      const [rooms, pending] = await Promise.all([this.userRooms.of(user.id), this.engine.pendingNotifications(user)]);
      return { rooms, notifications: pending.result };
    }
    const read = await this.reads.get(user.id);
    return { rooms: read?.rooms ?? [], notifications: read?.notifications ?? {} };
  }

  /** The configured serializer as SQL, worked out once (undefined: it has a getter of its own). */
  private shown(): CompiledShown | undefined {
    if (this.compiled === null) this.compiled = representationSql(this.orm.em.fork(), this.settings, this.settings.serializers.ChatNotificationSerializer, model('ChatNotification'), NOTIFICATION_ROWS);
    return this.compiled;
  }

  private read(userIds: string[]): Promise<Map<string, RoomsAndPending>> {
    return roomsAndPendingOfUsers(this.orm.em.fork(), this.shown()!, userIds);
  }
}
