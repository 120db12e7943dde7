/** Serializers of the chat notification. */
import { IsIn, IsOptional, IsUUID } from './class-validator.js';
import type { AbstractChatNotification } from '../entities/chat-notification.js';
import { NOTIFICATION_TYPES } from '../entities/media-types.js';
import type { AbstractMessage } from '../entities/message.js';
import { ModelSerializer, type RelatedFieldSpec, type Representation } from './model-serializer.js';

/** Base of every notification serializer: the message (nested) and message_id (write-only). */
export class ChatNotificationSerializerMixin<E extends AbstractChatNotification = AbstractChatNotification> extends ModelSerializer<E> {
  static override readonly model = 'ChatNotification' as const;
  static override readonly declaredFields: readonly string[] = ['message'];
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    message_id: { property: 'message', target: 'Message' },
  };

  @IsUUID()
  message_id!: string;

  @IsOptional()
  @IsIn([...NOTIFICATION_TYPES])
  notification_type?: string;

  async getMessage(notification: E): Promise<Representation | null> {
    return this.serializer('MessageSerializer').serialize(await this.related<AbstractMessage>(notification, 'message'));
  }
}

/** The default notification serializer: every field but the recipients. */
export class ChatNotificationSerializer extends ChatNotificationSerializerMixin {
  static override readonly exclude = ['recipients'];
}
