/**
 * The one mapping from any failure to a `ChatError`, shared by REST and WebSocket: the package's
 * own errors as they are, database refusals by their class (constraint, data exception, limit).
 * What is left is an internal error, and only that becomes a 500 / 4006.
 */
import {
  CheckConstraintViolationException,
  DeadlockException,
  DriverException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ChatError, IntegrityConflict, ValidationFailed } from './chat-error.js';

/** What PostgreSQL's SQLSTATE classes and codes mean for a client. */
const DATA_EXCEPTION_CLASS = '22';
/** `54000` program limit exceeded, `54001` statement too complex (deep JSON), `54023` too many arguments. */
const LIMIT_CODES = new Set(['54000', '54001', '54023']);

/** The failure as a `ChatError`, or undefined when it is an internal error. */
export function asChatError(error: unknown): ChatError | undefined {
  if (error instanceof ChatError) return error;
  if (error instanceof UniqueConstraintViolationException) return new IntegrityConflict('The change conflicts with data already stored');
  if (error instanceof ForeignKeyConstraintViolationException) return new IntegrityConflict('The change refers to something that no longer exists');
  if (error instanceof CheckConstraintViolationException || error instanceof NotNullConstraintViolationException) {
    return ValidationFailed.rule('The data breaks a rule of the data model');
  }
  if (error instanceof DeadlockException) return new IntegrityConflict('A concurrent change got in the way: try again');
  if (error instanceof DriverException) {
    const code = sqlState(error);
    if (code?.startsWith(DATA_EXCEPTION_CLASS)) return ValidationFailed.rule(`A value cannot be stored: ${firstLine(error.message)}`);
    if (code && LIMIT_CODES.has(code)) return ValidationFailed.rule('The input is too large or too deeply nested to store');
  }
  return undefined;
}

function sqlState(error: DriverException): string | undefined {
  const code = error.code ?? error.sqlState;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL's own words, without the statement MikroORM puts before them. */
function firstLine(message: string): string {
  const text = message.split('\n')[0] ?? message;
  const dash = text.lastIndexOf(' - ');
  return (dash >= 0 ? text.slice(dash + 3) : text).trim();
}
