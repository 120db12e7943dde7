/** The default serializer of each name, and the base class a replacement must extend. */
import { ChatNotificationSerializer, ChatNotificationSerializerMixin } from './chat-notification.js';
import { MessageMediaAssetSerializer, MessageMediaAssetSerializerMixin } from './message-media-asset.js';
import { MessageSerializer, MessageSerializerMixin } from './message.js';
import type { SerializerClass } from './model-serializer.js';
import type { SerializerName } from './names.js';
import { PolymorphicRoomSerializer, RoomListPolymorphicSerializer, RoomPolymorphicSerializer } from './polymorphic.js';
import { ReactionSerializer, ReactionSerializerMixin } from './reaction.js';
import { ReadReceiptSerializer, ReadReceiptSerializerMixin } from './read-receipt.js';
import { RoomPropertySerializer, RoomPropertySerializerMixin } from './room-property.js';
import {
  ChannelListSerializer,
  ChannelListSerializerMixin,
  ChannelSerializer,
  ChannelSerializerMixin,
  GroupChatListSerializer,
  GroupChatListSerializerMixin,
  GroupChatSerializer,
  GroupChatSerializerMixin,
  OneToOneChatListSerializer,
  OneToOneChatListSerializerMixin,
  OneToOneChatSerializer,
  OneToOneChatSerializerMixin,
} from './rooms.js';
import { UserSerializer, UserSerializerMixin } from './user.js';

const cls = (c: unknown) => c as SerializerClass;

/** The package's serializer for each name. */
export const DEFAULT_SERIALIZERS: Readonly<Record<SerializerName, SerializerClass>> = {
  RoomListPolymorphicSerializer: cls(RoomListPolymorphicSerializer),
  RoomPolymorphicSerializer: cls(RoomPolymorphicSerializer),
  RoomPropertySerializer: cls(RoomPropertySerializer),
  ReactionSerializer: cls(ReactionSerializer),
  MessageMediaAssetSerializer: cls(MessageMediaAssetSerializer),
  MessageSerializer: cls(MessageSerializer),
  ChatNotificationSerializer: cls(ChatNotificationSerializer),
  UserSerializer: cls(UserSerializer),
  OneToOneChatListSerializer: cls(OneToOneChatListSerializer),
  GroupChatListSerializer: cls(GroupChatListSerializer),
  ChannelListSerializer: cls(ChannelListSerializer),
  OneToOneChatSerializer: cls(OneToOneChatSerializer),
  GroupChatSerializer: cls(GroupChatSerializer),
  ChannelSerializer: cls(ChannelSerializer),
  ReadReceiptSerializer: cls(ReadReceiptSerializer),
};

/** The class a serializer registered under each name must extend. */
export const SERIALIZER_BASES: Readonly<Record<SerializerName, Function>> = {
  RoomListPolymorphicSerializer: PolymorphicRoomSerializer,
  RoomPolymorphicSerializer: PolymorphicRoomSerializer,
  RoomPropertySerializer: RoomPropertySerializerMixin,
  ReactionSerializer: ReactionSerializerMixin,
  MessageMediaAssetSerializer: MessageMediaAssetSerializerMixin,
  MessageSerializer: MessageSerializerMixin,
  ChatNotificationSerializer: ChatNotificationSerializerMixin,
  UserSerializer: UserSerializerMixin,
  OneToOneChatListSerializer: OneToOneChatListSerializerMixin,
  GroupChatListSerializer: GroupChatListSerializerMixin,
  ChannelListSerializer: ChannelListSerializerMixin,
  OneToOneChatSerializer: OneToOneChatSerializerMixin,
  GroupChatSerializer: GroupChatSerializerMixin,
  ChannelSerializer: ChannelSerializerMixin,
  ReadReceiptSerializer: ReadReceiptSerializerMixin,
};
