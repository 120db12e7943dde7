/** Serializers of the message: the mixin custom message serializers extend, and the default. */
import { IsOptional, IsString, IsUUID } from './class-validator.js';
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
  static override readonly populate: readonly string[] = [...MessageSerializerMixin.populate, 'deliveredTo', 'parentMessage', 'forwardedFrom.sender'];

  @IsOptional()
  @IsUUID()
  parent_message_id?: string | null;

  @IsOptional()
  @IsUUID()
  forwarded_from_id?: string | null;

  /**
   * The message replied to, shown in full while nesting allows (else by id). A reply and its
   * parent share a room, so whoever sees the reply may read the parent; a parent in another room
   * (never written by the package) is shown by id alone, and a deleted one as a tombstone.
   */
  async getParentMessage(message: E): Promise<Representation | null> {
    if (!message.parentMessage) return null;
    const parent = await this.related<AbstractMessage>(message, 'parentMessage');
    if (!parent) return null;
    if (primaryKeyOf(parent.room) !== primaryKeyOf(message.room) || !this.canNest()) return { id: parent.id };
    if (parent.isDeleted) return { id: parent.id, content: '', is_deleted: true };
    return this.serializer<ModelSerializer<AbstractMessage>>('MessageSerializer').serialize(parent);
  }

  /**
   * Where a forwarded message came from, as it was forwarded: the original's id, sender and time.
   * The forward holds its own copy of the content and attachments, so the original's later edits,
   * reactions, receipts and deletion never show through it, to anyone.
   */
  async getForwardedFrom(message: E): Promise<Representation | null> {
    if (!message.forwardedFrom) return null;
    const original = await this.related<AbstractMessage>(message, 'forwardedFrom');
    if (!original) return null;
    const sender = await this.serializer('UserSerializer').serialize(await this.related<AbstractUser>(original, 'sender'));
    return { id: original.id, sender, created_at: original.createdAt.toISOString() };
  }

  async getDeliveredTo(message: E): Promise<string[]> {
    return (await this.items<AbstractUser>(message, 'deliveredTo')).map(user => user.username).sort();
  }
}
