/** Read receipts: who read which message, and when (one per reader and message). */
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import type { AbstractMessage } from './message.js';
import type { AbstractUser } from './user.js';

/** Base of the read receipt. */
@Entity({ abstract: true })
@Unique({ properties: ['message', 'reader'] })
export abstract class AbstractReadReceipt {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => model('Message'), deleteRule: 'cascade' })
  message!: AbstractMessage;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  reader!: AbstractUser;

  @Property({ type: 'datetime' })
  readAt: Opt<Date> = new Date();
}

/** The default read receipt (swappable as `ReadReceipt`). */
@Swappable('ReadReceipt')
@Entity({ tableName: 'chat_read_receipt' })
export class ReadReceipt extends AbstractReadReceipt {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    ReadReceipt: AbstractReadReceipt;
  }
}
