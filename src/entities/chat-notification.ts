/** Notifications: one row per message with the recipients still to be told. */
import { Collection, Entity, Enum, ManyToMany, ManyToOne, PrimaryKey, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { NOTIFICATION_TYPES, type NotificationType } from './media-types.js';
import type { AbstractMessage } from './message.js';
import type { AbstractUser } from './user.js';

/** Base of the chat notification. */
@Entity({ abstract: true })
export abstract class AbstractChatNotification {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToMany({ entity: () => model('User'), joinColumn: 'notification_id', inverseJoinColumn: 'user_id' })
  recipients: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  @ManyToOne({ entity: () => model('Message'), deleteRule: 'cascade' })
  message!: AbstractMessage;

  @Enum({ items: () => [...NOTIFICATION_TYPES], length: 64 })
  notificationType: Opt<NotificationType> = 'NEW_MESSAGE';
}

/** The default chat notification (swappable as `ChatNotification`). */
@Swappable('ChatNotification')
@Entity({ tableName: 'chat_notification' })
export class ChatNotification extends AbstractChatNotification {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    ChatNotification: AbstractChatNotification;
  }
}
