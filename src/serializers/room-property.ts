/** Serializers of the room property. */
import { IsObject, IsOptional } from './class-validator.js';
import type { AbstractRoomProperty } from '../entities/room-property.js';
import { ModelSerializer } from './model-serializer.js';

/** Base of every room property serializer (`serializers.RoomPropertySerializer` must extend it). */
export class RoomPropertySerializerMixin<E extends AbstractRoomProperty = AbstractRoomProperty> extends ModelSerializer<E> {
  static override readonly model = 'RoomProperty' as const;

  @IsOptional()
  @IsObject()
  preferences?: Record<string, unknown>;
}

/** The default room property serializer: the preferences object. */
export class RoomPropertySerializer extends RoomPropertySerializerMixin {
  static override readonly fields = ['preferences'];
}
