/** Serializers: the base, the mixins custom serializers extend, and the defaults. */
export { ModelSerializer, MAX_NESTING_DEPTH, primaryKeyOf } from './model-serializer.js';
export type { RelatedFieldSpec, Representation, SerializerClass, ValidateOptions } from './model-serializer.js';
export type { SerializerContext } from './context.js';
export { SERIALIZER_MODELS, SERIALIZER_NAMES, REQUIRED_SERIALIZER, isSerializerName } from './names.js';
export type { SerializerName } from './names.js';
export { UserSerializerMixin, UserSerializer } from './user.js';
export { RoomPropertySerializerMixin, RoomPropertySerializer } from './room-property.js';
export { MessageSerializerMixin, MessageSerializer } from './message.js';
export { ReadReceiptSerializerMixin, ReadReceiptSerializer } from './read-receipt.js';
export { ReactionSerializerMixin, ReactionSerializer } from './reaction.js';
export { MessageMediaAssetSerializerMixin, MessageMediaAssetSerializer } from './message-media-asset.js';
export { ChatNotificationSerializerMixin, ChatNotificationSerializer } from './chat-notification.js';
export {
  OneToOneChatListSerializerMixin,
  GroupChatListSerializerMixin,
  ChannelListSerializerMixin,
  OneToOneChatSerializerMixin,
  GroupChatSerializerMixin,
  ChannelSerializerMixin,
  OneToOneChatListSerializer,
  GroupChatListSerializer,
  ChannelListSerializer,
  OneToOneChatSerializer,
  GroupChatSerializer,
  ChannelSerializer,
} from './rooms.js';
export { PolymorphicRoomSerializer, RoomPolymorphicSerializer, RoomListPolymorphicSerializer } from './polymorphic.js';
export { DEFAULT_SERIALIZERS, SERIALIZER_BASES } from './defaults.js';
