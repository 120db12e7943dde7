/** Serializers of the media asset. */
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, IsUUID, Min } from './class-validator.js';
import { ALLOWED_MIME_TYPES, MEDIA_TYPES } from '../entities/media-types.js';
import type { AbstractMessageMediaAsset } from '../entities/message-media-asset.js';
import { ModelSerializer, type RelatedFieldSpec } from './model-serializer.js';

/** Base of every media asset serializer: message_id (write-only) and the asset's own fields. */
export class MessageMediaAssetSerializerMixin<E extends AbstractMessageMediaAsset = AbstractMessageMediaAsset> extends ModelSerializer<E> {
  static override readonly model = 'MessageMediaAsset' as const;
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    message_id: { property: 'message', target: 'Message' },
  };

  @IsUUID()
  message_id!: string;

  /** An absolute http(s) URL: other schemes (`javascript:`, `file:`) and relative paths are refused. */
  @IsString()
  @IsNotEmpty()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false }, { message: 'media_url must be an absolute http or https URL' })
  media_url!: string;

  @IsIn([...MEDIA_TYPES])
  media_type!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  file_size?: number;

  @IsOptional()
  @IsIn([...ALLOWED_MIME_TYPES], { message: 'mime_type must be one of the allowed MIME types' })
  mime_type?: string;

  @IsOptional()
  @IsString()
  caption?: string | null;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/** The default media asset serializer: every field but the message. */
export class MessageMediaAssetSerializer extends MessageMediaAssetSerializerMixin {
  static override readonly exclude = ['message'];
}
