/** The serializer names of the settings (`serializers.<name>`), with the model each one serves. */
import type { Room } from '../entities/room.js';
import type { ModelOf, SwapToken } from '../swappable/tokens.js';

/** Every serializer name the settings accept, mapped to the token of the model it serializes (null: polymorphic over rooms). */
export const SERIALIZER_MODELS = {
  RoomListPolymorphicSerializer: null,
  RoomPolymorphicSerializer: null,
  RoomPropertySerializer: 'RoomProperty',
  ReactionSerializer: 'Reaction',
  MessageMediaAssetSerializer: 'MessageMediaAsset',
  MessageSerializer: 'Message',
  ChatNotificationSerializer: 'ChatNotification',
  UserSerializer: 'User',
  OneToOneChatListSerializer: 'OneToOneChat',
  GroupChatListSerializer: 'GroupChat',
  ChannelListSerializer: 'Channel',
  OneToOneChatSerializer: 'OneToOneChat',
  GroupChatSerializer: 'GroupChat',
  ChannelSerializer: 'Channel',
  ReadReceiptSerializer: 'ReadReceipt',
} as const satisfies Record<string, SwapToken | null>;

/** A serializer name, e.g. `MessageSerializer`. */
export type SerializerName = keyof typeof SERIALIZER_MODELS;

/** The entity a named serializer reads and writes: its model's, or any room for the polymorphic ones. */
export type SerializedEntity<N extends SerializerName> = (typeof SERIALIZER_MODELS)[N] extends infer T extends SwapToken ? ModelOf<T> : Room;

/** Every serializer name, sorted. */
export const SERIALIZER_NAMES: SerializerName[] = Object.keys(SERIALIZER_MODELS).filter(isSerializerName).sort();

/**
 * The serializer a swapped model must come with: the one that reads and writes it in detail.
 * `Session` has none (it never reaches a client).
 */
export const REQUIRED_SERIALIZER: Readonly<Partial<Record<SwapToken, SerializerName>>> = {
  User: 'UserSerializer',
  RoomProperty: 'RoomPropertySerializer',
  OneToOneChat: 'OneToOneChatSerializer',
  GroupChat: 'GroupChatSerializer',
  Channel: 'ChannelSerializer',
  Message: 'MessageSerializer',
  MessageMediaAsset: 'MessageMediaAssetSerializer',
  ReadReceipt: 'ReadReceiptSerializer',
  ChatNotification: 'ChatNotificationSerializer',
  Reaction: 'ReactionSerializer',
};

/** Whether a string is a serializer name. */
export function isSerializerName(value: string): value is SerializerName {
  return Object.hasOwn(SERIALIZER_MODELS, value);
}
