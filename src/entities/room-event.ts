/**
 * The room event log: every event a room's members receive, numbered per room in the transaction
 * that wrote it. A client that reconnects asks for what came after the last number it saw.
 * Never swappable.
 */
import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Room } from './room.js';

/** One event of one room. */
@Entity({ tableName: 'chat_room_event' })
@Unique({ properties: ['room', 'seq'] })
@Index({ properties: ['createdAt'] })
export class RoomEvent {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => Room, deleteRule: 'cascade' })
  room!: Room;

  /** The event's number in its room: 1, 2, 3… */
  @Property({ type: new BigIntType('number') })
  seq!: number;

  /** `message.dispatch`, `reaction.dispatch`… */
  @Property({ length: 64 })
  eventType!: string;

  @Property({ type: 'json' })
  payload!: unknown;

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  createdAt: Opt<Date> = new Date();
}
