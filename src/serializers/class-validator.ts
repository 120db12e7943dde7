/**
 * class-validator, loaded with `require`: an ESM `import` of this CommonJS package makes Node scan
 * it and each of the hundred modules it re-exports for their names, at every start of a process.
 * The serializers take their decorators from here; the types are the package's own.
 */
import { createRequire } from 'node:module';

const classValidator = createRequire(import.meta.url)('class-validator') as typeof import('class-validator');

export const {
  getMetadataStorage,
  validate,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  Min,
} = classValidator;
export type { ValidationError } from 'class-validator';
