/** Serializers of the three room types, in list form (with the last message) and detail form (with members). */
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Length, Min } from './class-validator.js';
import type { AbstractChannel } from '../entities/channel.js';
import type { AbstractGroupChat } from '../entities/group-chat.js';
import type { AbstractMessage } from '../entities/message.js';
import type { AbstractOneToOneChat } from '../entities/one-to-one-chat.js';
import type { AbstractRoomProperty } from '../entities/room-property.js';
import type { Room } from '../entities/room.js';
import type { AbstractUser } from '../entities/user.js';
import { ModelSerializer, type Representation } from './model-serializer.js';

/** Shared readers of every room serializer. */
abstract class RoomSerializerBase<E extends Room> extends ModelSerializer<E> {
  protected async lastMessage(room: E): Promise<Representation | null> {
    return this.serializer('MessageSerializer').serialize(await this.related<AbstractMessage>(room, 'lastMessage'));
  }

  protected async user(room: E, property: string): Promise<Representation | null> {
    return this.serializer('UserSerializer').serialize(await this.related<AbstractUser>(room, property));
  }

  protected async users(room: E, property: string): Promise<Representation[]> {
    const users = await this.items<AbstractUser>(room, property);
    users.sort((a, b) => a.username.localeCompare(b.username));
    return this.serializer('UserSerializer').serializeMany(users);
  }

  protected async property(room: E): Promise<Representation | null> {
    return this.serializer('RoomPropertySerializer').serialize(await this.related<AbstractRoomProperty>(room, 'property'));
  }
}

/** Writable fields shared by groups and channels. */
abstract class NamedRoomSerializerBase<E extends AbstractGroupChat | AbstractChannel> extends RoomSerializerBase<E> {
  @IsString()
  @Length(1, 64)
  name!: string;

  @IsOptional()
  @IsString()
  description?: string | null;

  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  avatar?: string | null;

  async getCreator(room: E): Promise<Representation | null> {
    return this.user(room, 'creator');
  }
}

/** Base of the one-to-one chat list serializers: the peer (the other participant) and the last message. */
export class OneToOneChatListSerializerMixin<E extends AbstractOneToOneChat = AbstractOneToOneChat> extends RoomSerializerBase<E> {
  static override readonly model = 'OneToOneChat' as const;
  static override readonly declaredFields: readonly string[] = ['peer', 'last_message'];

  async getPeer(room: E): Promise<Representation | null> {
    const me = this.context.user;
    if (!me) throw new Error('OneToOneChatListSerializer needs the acting user in its context to pick the peer');
    const peer = (await this.items<AbstractUser>(room, 'participants')).find(u => u.id !== me.id) ?? null;
    return this.serializer('UserSerializer').serialize(peer);
  }

  async getLastMessage(room: E): Promise<Representation | null> {
    return this.lastMessage(room);
  }
}

/** Base of the group chat list serializers: creator and last message. */
export class GroupChatListSerializerMixin<E extends AbstractGroupChat = AbstractGroupChat> extends NamedRoomSerializerBase<E> {
  static override readonly model = 'GroupChat' as const;
  static override readonly declaredFields: readonly string[] = ['creator', 'last_message'];

  async getLastMessage(room: E): Promise<Representation | null> {
    return this.lastMessage(room);
  }
}

/** Base of the channel list serializers: creator and last message. */
export class ChannelListSerializerMixin<E extends AbstractChannel = AbstractChannel> extends NamedRoomSerializerBase<E> {
  static override readonly model = 'Channel' as const;
  static override readonly declaredFields: readonly string[] = ['creator', 'last_message'];

  async getLastMessage(room: E): Promise<Representation | null> {
    return this.lastMessage(room);
  }
}

/** Base of the one-to-one chat detail serializers: participants and property. */
export class OneToOneChatSerializerMixin<E extends AbstractOneToOneChat = AbstractOneToOneChat> extends RoomSerializerBase<E> {
  static override readonly model = 'OneToOneChat' as const;
  static override readonly declaredFields: readonly string[] = ['participants', 'property'];

  async getParticipants(room: E): Promise<Representation[]> {
    return this.users(room, 'participants');
  }

  async getProperty(room: E): Promise<Representation | null> {
    return this.property(room);
  }
}

/** Base of the group chat detail serializers: creator, participants and property. */
export class GroupChatSerializerMixin<E extends AbstractGroupChat = AbstractGroupChat> extends NamedRoomSerializerBase<E> {
  static override readonly model = 'GroupChat' as const;
  static override readonly declaredFields: readonly string[] = ['creator', 'participants', 'property'];

  @IsOptional()
  @IsInt()
  @Min(1)
  max_participants?: number;

  @IsOptional()
  @IsBoolean()
  join_approval_required?: boolean;

  @IsOptional()
  @IsBoolean()
  group_locked?: boolean;

  async getParticipants(room: E): Promise<Representation[]> {
    return this.users(room, 'participants');
  }

  async getProperty(room: E): Promise<Representation | null> {
    return this.property(room);
  }
}

/** Base of the channel detail serializers: creator, subscribers and property. */
export class ChannelSerializerMixin<E extends AbstractChannel = AbstractChannel> extends NamedRoomSerializerBase<E> {
  static override readonly model = 'Channel' as const;
  static override readonly declaredFields: readonly string[] = ['creator', 'subscribers', 'property'];

  @IsOptional()
  @IsBoolean()
  is_public?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  max_subscribers?: number;

  async getSubscribers(room: E): Promise<Representation[]> {
    return this.users(room, 'subscribers');
  }

  async getProperty(room: E): Promise<Representation | null> {
    return this.property(room);
  }
}

/** The default one-to-one chat list serializer. */
export class OneToOneChatListSerializer extends OneToOneChatListSerializerMixin {
  static override readonly exclude = ['participants', 'property'];
}

/** The default group chat list serializer. */
export class GroupChatListSerializer extends GroupChatListSerializerMixin {
  static override readonly exclude = ['participants', 'admins', 'property'];
}

/** The default channel list serializer. */
export class ChannelListSerializer extends ChannelListSerializerMixin {
  static override readonly exclude = ['subscribers', 'moderators', 'property'];
}

/** The default one-to-one chat detail serializer. */
export class OneToOneChatSerializer extends OneToOneChatSerializerMixin {
  static override readonly exclude = ['last_message'];
}

/** The default group chat detail serializer (admins as users). */
export class GroupChatSerializer extends GroupChatSerializerMixin {
  static override readonly exclude = ['last_message'];
  static override readonly declaredFields: readonly string[] = [...GroupChatSerializerMixin.declaredFields, 'admins'];

  async getAdmins(room: AbstractGroupChat): Promise<Representation[]> {
    return this.users(room, 'admins');
  }
}

/** The default channel detail serializer (moderators as users). */
export class ChannelSerializer extends ChannelSerializerMixin {
  static override readonly exclude = ['last_message'];
  static override readonly declaredFields: readonly string[] = [...ChannelSerializerMixin.declaredFields, 'moderators'];

  async getModerators(room: AbstractChannel): Promise<Representation[]> {
    return this.users(room, 'moderators');
  }
}

