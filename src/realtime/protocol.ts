/**
 * The WebSocket protocol of the original package, with our additions: frame shapes, error codes
 * and close codes, in one place.
 *
 * Client → server: `{ "event_type": "message.send", "data": { … }, "id"?: any }`.
 * Server → client: `{ "type": "broadcast_group", "eventType": "message.dispatch", "data": …,
 * "room_id"?, "seq"?, "id"? }`; errors `{ "error": { "code": 4003, "detail": … }, "id"? }`.
 */
import {
  CheckConstraintViolationException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ChatError } from '../errors/chat-error.js';

/** Codes of error frames (the socket stays open) and of application close frames. */
export const WS_CODES = {
  /** Close: authentication failed (the connection handler refused the user). */
  authenticationFailed: 4001,
  /** Error: the user may not do this. */
  permissionDenied: 4002,
  /** Error: the input is invalid (including malformed JSON and unknown event types). */
  validationError: 4003,
  /** Error: the object does not exist. */
  notFound: 4004,
  /** Error: the change conflicts with stored data. */
  integrityError: 4005,
  /** Error: something went wrong on the server. */
  internalError: 4006,
  /** Close: the session expired (no heartbeat within the inactivity threshold). */
  sessionExpired: 4008,
  /** Close: the client reads too slowly; its send buffer passed the limit. */
  slowConsumer: 4009,
  /** Error: too many frames; past the burst allowance the socket is closed with 1008. */
  rateLimited: 4029,
} as const;

/** The error frame for a failure. */
export function errorFrame(error: unknown, id?: unknown): { error: { code: number; detail: unknown }; id?: unknown } {
  const frame = (code: number, detail: unknown) => ({ error: { code, detail }, ...(id !== undefined ? { id } : {}) });
  if (error instanceof ChatError) {
    switch (error.code) {
      case 'permission_denied':
        return frame(WS_CODES.permissionDenied, error.message);
      case 'not_found':
        return frame(WS_CODES.notFound, 'Resource not found.');
      case 'conflict':
        return frame(WS_CODES.integrityError, error.message);
      case 'validation_failed':
        return frame(WS_CODES.validationError, error.details ?? error.message);
      default:
        return frame(WS_CODES.validationError, error.message);
    }
  }
  if (error instanceof UniqueConstraintViolationException || error instanceof ForeignKeyConstraintViolationException) {
    return frame(WS_CODES.integrityError, 'Database constraint violated.');
  }
  if (error instanceof CheckConstraintViolationException || error instanceof NotNullConstraintViolationException) {
    return frame(WS_CODES.validationError, 'The data breaks a rule of the data model.');
  }
  return frame(WS_CODES.internalError, 'Internal server error.');
}

/** A server event frame, as the original's clients read it. */
export interface EventFrame {
  readonly type: 'broadcast_group';
  readonly eventType: string;
  readonly data: unknown;
  readonly room_id?: string;
  readonly seq?: number;
  readonly id?: unknown;
}
