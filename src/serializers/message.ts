/** Serializers of the message: the mixin custom message serializers extend, and the default. */
import { IsOptional, IsString, IsUUID } from 'class-validator';
import { sanitizeContent } from '../content/sanitize.js';
import type { AbstractMessage } from '../entities/message.js';
import type { AbstractUser } from '../entities/user.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { ModelSerializer, primaryKeyOf, type RelatedFieldSpec, type Representation } from './model-serializer.js';

/**
 * Base of every message serializer (`serializers.MessageSerializer` must extend it). Provides
 * room / room_id, sender / sender_id, read_receipts, reactions, attachments and content validation.
 */
export class MessageSerializerMixin<E extends AbstractMessage = AbstractMessage> extends ModelSerializer<E> {
  static override readonly model = 'Message' as const;
  static override readonly declaredFields: readonly string[] = ['room', 'sender', 'read_receipts', 'reactions', 'attachments'];
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    room_id: { property: 'room', target: 'Room' },
    sender_id: { property: 'sender', target: 'User' },
  };
  static override readonly populate: readonly string[] = ['sender', 'readReceipts.reader', 'reactions.user', 'attachments'];

  @IsUUID()
  room_id!: string;

  @IsUUID()
  sender_id!: string;

  @IsString()
  content!: string;

  /** Rejects oversized content, then strips everything outside the allow-list. */
  validateContent(value: string): string {
    const limit = this.context.settings.maxMessageLength;
    if (value.length > limit) throw new ValidationFailed(`Ensure this field has no more than ${limit} characters.`);
    return sanitizeContent(value);
  }

  getRoom(message: E): Representation {
    return { id: primaryKeyOf(message.room) };
  }

  async getSender(message: E): Promise<Representation | null> {
    return this.serializer('UserSerializer').serialize(await this.related<AbstractUser>(message, 'sender'));
  }

  async getReadReceipts(message: E): Promise<Representation[]> {
    return this.serializer('ReadReceiptSerializer').serializeMany(await this.items(message, 'readReceipts'));
  }

  async getReactions(message: E): Promise<Representation[]> {
    return this.serializer('ReactionSerializer').serializeMany(await this.items(message, 'reactions'));
  }

  async getAttachments(message: E): Promise<Representation[]> {
    return this.serializer('MessageMediaAssetSerializer').serializeMany(await this.items(message, 'attachments'));
  }
}

/** The default message serializer: every field, replies and forwards nested, delivery as usernames. */
export class MessageSerializer<E extends AbstractMessage = AbstractMessage> extends MessageSerializerMixin<E> {
  static override readonly declaredFields: readonly string[] = [...MessageSerializerMixin.declaredFields, 'parent_message', 'forwarded_from', 'delivered_to'];
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    ...MessageSerializerMixin.relatedFields,
    parent_message_id: { property: 'parentMessage', target: 'Message', optional: true },
    forwarded_from_id: { property: 'forwardedFrom', target: 'Message', optional: true },
  };
  static override readonly populate: readonly string[] = [...MessageSerializerMixin.populate, 'deliveredTo', 'parentMessage', 'forwardedFrom'];

  @IsOptional()
  @IsUUID()
  parent_message_id?: string | null;

  @IsOptional()
  @IsUUID()
  forwarded_from_id?: string | null;

  async getParentMessage(message: E): Promise<Representation | null> {
    return this.nestedMessage(message, 'parentMessage');
  }

  async getForwardedFrom(message: E): Promise<Representation | null> {
    return this.nestedMessage(message, 'forwardedFrom');
  }

  async getDeliveredTo(message: E): Promise<string[]> {
    return (await this.items<AbstractUser>(message, 'deliveredTo')).map(user => user.username).sort();
  }

  /** A related message in full while nesting allows, else by id alone. */
  private async nestedMessage(message: E, property: 'parentMessage' | 'forwardedFrom'): Promise<Representation | null> {
    const related = message[property];
    if (!related) return null;
    if (!this.canNest()) return { id: primaryKeyOf(related) };
    return this.serializer('MessageSerializer').serialize(await this.related<AbstractMessage>(message, property));
  }
}
