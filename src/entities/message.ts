/** Messages: content, replies, forwards, edits, soft deletion and delivery tracking. */
import { Check, Collection, Entity, Index, ManyToMany, ManyToOne, OneToMany, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { Room } from './room.js';
import type { AbstractUser } from './user.js';
import type { AbstractReadReceipt } from './read-receipt.js';
import type { AbstractReaction } from './reaction.js';
import type { AbstractMessageMediaAsset } from './message-media-asset.js';

/**
 * Base of the message. It carries every field of the default message (replies, forwards, edits,
 * delivery) so the engine works the same on a custom message.
 */
@Entity({ abstract: true })
@Index({ properties: ['room', 'createdAt', 'id'] })
@Check({ name: 'forwarded_messages_cant_be_replies', expression: 'not (is_forwarded and parent_message_id is not null)' })
export abstract class AbstractMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Room, deleteRule: 'cascade' })
  room!: Room;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  sender!: AbstractUser;

  // A hash index serves exact-content lookups at any length; a btree on unbounded text fails past ~2.7 kB.
  @Index({ type: 'hash' })
  @Property({ type: 'text' })
  content!: string;

  @Property({ type: 'boolean' })
  isDeleted: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  /** The message this one replies to. */
  @ManyToOne({ entity: () => model('Message'), nullable: true, deleteRule: 'set null' })
  parentMessage?: AbstractMessage | null = null;

  @Property({ type: 'boolean' })
  isForwarded: Opt<boolean> = false;

  /** The original of a forwarded message. */
  @ManyToOne({ entity: () => model('Message'), nullable: true, deleteRule: 'set null' })
  forwardedFrom?: AbstractMessage | null = null;

  @Property({ type: 'boolean' })
  isEdited: Opt<boolean> = false;

  /** Users whose devices acknowledged delivery. */
  @ManyToMany({ entity: () => model('User'), joinColumn: 'message_id', inverseJoinColumn: 'user_id', orderBy: { id: 'asc' } })
  deliveredTo: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  // Collections in a fixed order, the same however they are read (entities or the history statement).
  @OneToMany({ entity: () => model('ReadReceipt'), mappedBy: 'message', orderBy: { readAt: 'asc', id: 'asc' } })
  readReceipts: Collection<AbstractReadReceipt> = new Collection<AbstractReadReceipt>(this);

  @OneToMany({ entity: () => model('Reaction'), mappedBy: 'message', orderBy: { createdAt: 'asc', id: 'asc' } })
  reactions: Collection<AbstractReaction> = new Collection<AbstractReaction>(this);

  /** In the order they were sent: the engine gives a message's attachments ids in ascending order. */
  @OneToMany({ entity: () => model('MessageMediaAsset'), mappedBy: 'message', orderBy: { id: 'asc' } })
  attachments: Collection<AbstractMessageMediaAsset> = new Collection<AbstractMessageMediaAsset>(this);
}

/** The default message (swappable as `Message`). */
@Swappable('Message')
@Entity({ tableName: 'chat_message' })
export class Message extends AbstractMessage {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    Message: AbstractMessage;
  }
}
