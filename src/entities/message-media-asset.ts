/** Media attachments: external URLs with type, size, MIME type and free metadata (no file storage). */
import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { ALLOWED_MIME_TYPES, MEDIA_TYPES, type AllowedMimeType, type MediaType } from './media-types.js';
import type { AbstractMessage } from './message.js';

/** Base of the media asset. */
@Entity({ abstract: true })
export abstract class AbstractMessageMediaAsset {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => model('Message'), deleteRule: 'cascade' })
  message!: AbstractMessage;

  /** Link to the file on the application's own storage or CDN. */
  @Property({ type: 'text' })
  mediaUrl!: string;

  @Enum({ items: () => [...MEDIA_TYPES], length: 64 })
  mediaType!: MediaType;

  @Property({ type: new BigIntType('number') })
  fileSize: Opt<number> = 0;

  @Enum({ items: () => [...ALLOWED_MIME_TYPES], length: 255 })
  mimeType: Opt<AllowedMimeType> = 'image/jpeg';

  @Property({ type: 'text', nullable: true })
  caption?: string | null = null;

  @Property({ type: 'json' })
  metadata: Opt<Record<string, unknown>> = {};
}

/** The default media asset (swappable as `MessageMediaAsset`). */
@Swappable('MessageMediaAsset')
@Entity({ tableName: 'chat_message_media_asset' })
export class MessageMediaAsset extends AbstractMessageMediaAsset {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    MessageMediaAsset: AbstractMessageMediaAsset;
  }
}
