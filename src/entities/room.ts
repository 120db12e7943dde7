/**
 * `Room`, the polymorphic base of every room type (single-table inheritance on `chat_room.type`).
 * It is never swappable; its concrete children are.
 */
import { BigIntType, Cascade, Check, Entity, Enum, ManyToOne, OneToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import type { AbstractMessage } from './message.js';
import type { AbstractRoomProperty } from './room-property.js';

/** The base of every room type; `em.find(Room, ...)` returns instances of the concrete types. */
@Entity({ tableName: 'chat_room', abstract: true, discriminatorColumn: 'type' })
// Single-table inheritance makes the relation column nullable; the room property stays required.
@Check({ name: 'chat_room_property_required', expression: 'property_id is not null' })
export abstract class Room {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The room type: the swap token of its class (`OneToOneChat`, `GroupChat`, `Channel`) or a custom type name. */
  @Enum({ type: 'string' })
  type!: Opt<string>;

  @ManyToOne({ entity: () => model('Message'), nullable: true, deleteRule: 'set null' })
  lastMessage?: AbstractMessage | null = null;

  @OneToOne({ entity: () => model('RoomProperty'), owner: true, deleteRule: 'cascade', cascade: [Cascade.PERSIST, Cascade.REMOVE] })
  property!: Opt<AbstractRoomProperty>;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  /** The number of the room's latest event (see `RoomEvent`); advanced by the engine in SQL, not through this property. */
  @Property({ type: new BigIntType('number'), default: 0, hidden: true })
  eventSeq: Opt<number> = 0;
}
