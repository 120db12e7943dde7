/** Polymorphic room serializers: each room is read by the serializer of its type, named in the settings. */
import { wrap } from '@mikro-orm/core';
import type { Room } from '../entities/room.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { model } from '../swappable/registry.js';
import { ROOM_TOKENS, type RoomToken } from '../swappable/tokens.js';
import { ModelSerializer, type Representation, type SerializerClass, type ValidateOptions } from './model-serializer.js';
import type { SerializerName } from './names.js';

/** Base of the polymorphic room serializers: `static mapping` names the serializer of each room type. */
export class PolymorphicRoomSerializer extends ModelSerializer<Room> {
  /** Room type → serializer name. */
  static readonly mapping: Readonly<Record<RoomToken, SerializerName>> = {
    OneToOneChat: 'OneToOneChatSerializer',
    GroupChat: 'GroupChatSerializer',
    Channel: 'ChannelSerializer',
  };

  /** The room type named by a client: a token, or the class name of the model behind it. */
  static resolveType(type: unknown): RoomToken | undefined {
    if (typeof type !== 'string') return undefined;
    return ROOM_TOKENS.find(token => token === type || model(token).name === type);
  }

  /** The serializer for one room type, sharing this context and depth. */
  serializerFor(type: RoomToken): ModelSerializer<Room> {
    const mapping = (this.constructor as typeof PolymorphicRoomSerializer).mapping;
    const cls = this.context.settings.serializers[mapping[type]] as unknown as SerializerClass<ModelSerializer<Room>>;
    return new cls(this.context);
  }

  /** The room type of a room, from its class (a new room's `type` is only set once stored). */
  static typeOf(room: Room): RoomToken | undefined {
    return PolymorphicRoomSerializer.resolveType(room.type ?? wrap(room, true).__meta.discriminatorValue);
  }

  protected override async toRepresentation(room: Room): Promise<Representation> {
    const type = PolymorphicRoomSerializer.typeOf(room);
    if (!type) throw new Error(`No serializer is configured for room type '${String(room.type ?? wrap(room, true).__meta.discriminatorValue)}'`);
    const body = await this.serializerFor(type).serialize(room);
    return { ...body, type };
  }

  /** Validates input for the room type named by its `type` field. */
  override async validate(input: unknown, options: ValidateOptions = {}): Promise<Record<string, unknown>> {
    const type = PolymorphicRoomSerializer.resolveType(typeof input === 'object' && input !== null && 'type' in input ? input.type : undefined);
    if (!type) {
      throw ValidationFailed.fromFields({ type: [`Invalid resource type: expected one of ${ROOM_TOKENS.join(', ')}`] });
    }
    return this.serializerFor(type).validate(input, options);
  }
}

/** The default polymorphic detail serializer. */
export class RoomPolymorphicSerializer extends PolymorphicRoomSerializer {}

/** The default polymorphic list serializer (rooms with their last message). */
export class RoomListPolymorphicSerializer extends PolymorphicRoomSerializer {
  static override readonly mapping: Readonly<Record<RoomToken, SerializerName>> = {
    OneToOneChat: 'OneToOneChatListSerializer',
    GroupChat: 'GroupChatListSerializer',
    Channel: 'ChannelListSerializer',
  };
}
