/** Serializers of the read receipt. */
import { IsUUID } from './class-validator.js';
import type { AbstractReadReceipt } from '../entities/read-receipt.js';
import type { AbstractUser } from '../entities/user.js';
import { ModelSerializer, type RelatedFieldSpec, type Representation } from './model-serializer.js';

/** Base of every read receipt serializer: reader (nested), reader_id and message_id (write-only). */
export class ReadReceiptSerializerMixin<E extends AbstractReadReceipt = AbstractReadReceipt> extends ModelSerializer<E> {
  static override readonly model = 'ReadReceipt' as const;
  static override readonly declaredFields: readonly string[] = ['reader'];
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    reader_id: { property: 'reader', target: 'User' },
    message_id: { property: 'message', target: 'Message' },
  };
  static override readonly populate: readonly string[] = ['reader'];

  @IsUUID()
  reader_id!: string;

  @IsUUID()
  message_id!: string;

  async getReader(receipt: E): Promise<Representation | null> {
    return this.serializer('UserSerializer').serialize(await this.related<AbstractUser>(receipt, 'reader'));
  }
}

/** The default read receipt serializer: who read, and when. */
export class ReadReceiptSerializer extends ReadReceiptSerializerMixin {
  static override readonly fields = ['reader', 'read_at'];
}
