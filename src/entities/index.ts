/** Every entity of the package: the abstract bases users subclass, the swappable defaults, and the fixed ones. */
import type { SwapToken } from '../swappable/tokens.js';
import { AbstractChannel, Channel } from './channel.js';
import { AbstractChatNotification, ChatNotification } from './chat-notification.js';
import { AbstractGroupChat, GroupChat } from './group-chat.js';
import { AbstractMessageMediaAsset, MessageMediaAsset } from './message-media-asset.js';
import { AbstractMessage, Message } from './message.js';
import { ObjectPermission } from './object-permission.js';
import { RoomEvent } from './room-event.js';
import { AbstractOneToOneChat, OneToOneChat } from './one-to-one-chat.js';
import { AbstractReaction, Reaction } from './reaction.js';
import { AbstractReadReceipt, ReadReceipt } from './read-receipt.js';
import { AbstractRoomProperty, RoomProperty } from './room-property.js';
import { Room } from './room.js';
import { AbstractSession, Session } from './session.js';
import { AbstractUser, User } from './user.js';

export { AbstractChannel, Channel, CHANNEL_MODERATOR_PERMISSIONS } from './channel.js';
export { AbstractChatNotification, ChatNotification } from './chat-notification.js';
export { AbstractGroupChat, GroupChat, GROUP_ADMIN_PERMISSIONS } from './group-chat.js';
export { AbstractMessageMediaAsset, MessageMediaAsset } from './message-media-asset.js';
export { AbstractMessage, Message } from './message.js';
export { ObjectPermission } from './object-permission.js';
export { RoomEvent } from './room-event.js';
export { AbstractOneToOneChat, OneToOneChat } from './one-to-one-chat.js';
export { AbstractReaction, Reaction } from './reaction.js';
export { AbstractReadReceipt, ReadReceipt } from './read-receipt.js';
export { AbstractRoomProperty, RoomProperty } from './room-property.js';
export { Room } from './room.js';
export { AbstractSession, Session } from './session.js';
export { AbstractUser, User } from './user.js';
export { MEMBERSHIP_PIVOTS } from './membership-pivots.js';
export type { MembershipRelation } from './membership-pivots.js';
export * from './media-types.js';

/** The abstract base a class registered under each token must extend. */
export const ABSTRACT_BASES: Readonly<Record<SwapToken, abstract new (...args: never[]) => object>> = {
  User: AbstractUser,
  Session: AbstractSession,
  RoomProperty: AbstractRoomProperty,
  OneToOneChat: AbstractOneToOneChat,
  GroupChat: AbstractGroupChat,
  Channel: AbstractChannel,
  Message: AbstractMessage,
  MessageMediaAsset: AbstractMessageMediaAsset,
  ReadReceipt: AbstractReadReceipt,
  ChatNotification: AbstractChatNotification,
  Reaction: AbstractReaction,
};

/** The package's default class of each token. */
export const DEFAULT_MODELS = {
  User,
  Session,
  RoomProperty,
  OneToOneChat,
  GroupChat,
  Channel,
  Message,
  MessageMediaAsset,
  ReadReceipt,
  ChatNotification,
  Reaction,
} as const satisfies Record<SwapToken, object>;

/** Entities that are never swapped: the polymorphic `Room`, the object permission table, the room event log. */
export const FIXED_ENTITIES = [Room, ObjectPermission, RoomEvent] as const;

/**
 * The abstract bases. Relations declared on them resolve through the settings; MikroORM needs
 * them listed, after the concrete entities, to accept a many-to-many declared on an abstract
 * room base (listed first, discovery fails with "targets abstract entity").
 */
export const ABSTRACT_ENTITIES = [
  AbstractUser,
  AbstractSession,
  AbstractRoomProperty,
  AbstractOneToOneChat,
  AbstractGroupChat,
  AbstractChannel,
  AbstractMessage,
  AbstractMessageMediaAsset,
  AbstractReadReceipt,
  AbstractChatNotification,
  AbstractReaction,
] as const;
