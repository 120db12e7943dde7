/** Serializers of the reaction. */
import { IsNotEmpty, IsString, IsUUID, MaxLength } from './class-validator.js';
import type { AbstractReaction } from '../entities/reaction.js';
import type { AbstractUser } from '../entities/user.js';
import { ModelSerializer, type RelatedFieldSpec, type Representation } from './model-serializer.js';

/** Base of every reaction serializer: user (nested), user_id and message (write-only ids). */
export class ReactionSerializerMixin<E extends AbstractReaction = AbstractReaction> extends ModelSerializer<E> {
  static override readonly model = 'Reaction' as const;
  static override readonly declaredFields: readonly string[] = ['user'];
  static override readonly relatedFields: Readonly<Record<string, RelatedFieldSpec>> = {
    user_id: { property: 'user', target: 'User' },
    message: { property: 'message', target: 'Message' },
  };
  static override readonly populate: readonly string[] = ['user'];

  @IsUUID()
  user_id!: string;

  @IsUUID()
  message!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  reaction_content!: string;

  async getUser(reaction: E): Promise<Representation | null> {
    return this.serializer('UserSerializer').serialize(await this.related<AbstractUser>(reaction, 'user'));
  }
}

/** The default reaction serializer: every field. */
export class ReactionSerializer extends ReactionSerializerMixin {}
