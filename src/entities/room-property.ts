/** Per-room preferences (mute, notification settings...), created automatically for each room. */
import { BigIntType, Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Swappable } from '../swappable/swappable.js';

/** Base of the room property; a custom one may add fields, each with a default or nullable. */
@Entity({ abstract: true })
export abstract class AbstractRoomProperty {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'json' })
  preferences: Opt<Record<string, unknown>> = {};
}

/** The default room property (swappable as `RoomProperty`). */
@Swappable('RoomProperty')
@Entity({ tableName: 'chat_room_property' })
export class RoomProperty extends AbstractRoomProperty {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    RoomProperty: AbstractRoomProperty;
  }
}
