/** Serializers of the user model. */
import { IsOptional, IsString, Length } from './class-validator.js';
import type { AbstractUser } from '../entities/user.js';
import { ModelSerializer } from './model-serializer.js';

/** Base of every user serializer (`serializers.UserSerializer` must extend it). */
export class UserSerializerMixin<E extends AbstractUser = AbstractUser> extends ModelSerializer<E> {
  static override readonly model = 'User' as const;
}

/** The default user serializer: id, username, email and names. */
export class UserSerializer extends UserSerializerMixin {
  static override readonly fields = ['id', 'username', 'email', 'first_name', 'last_name'];

  @IsString()
  @Length(1, 150)
  username!: string;

  @IsOptional()
  @IsString()
  email?: string | null;

  @IsOptional()
  @IsString()
  first_name?: string | null;

  @IsOptional()
  @IsString()
  last_name?: string | null;
}
