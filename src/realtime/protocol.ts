/**
 * The WebSocket protocol of the original package, with our additions: frame shapes, error codes
 * and close codes, in one place.
 *
 * Client → server: `{ "event_type": "message.send", "data": { … }, "id"?: any }`.
 * Server → client: `{ "type": "broadcast_group", "eventType": "message.dispatch", "data": …,
 * "room_id"?, "seq"?, "id"? }`; errors `{ "error": { "code": 4003, "detail": … }, "id"? }`.
 */
import { asChatError } from '../errors/as-chat-error.js';
import { ChatError } from '../errors/chat-error.js';
import { checkUntrustedJson, unstorableText } from '../engine/untrusted-json.js';
import { jsonText } from '../serializers/json-text.js';

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
  const known = asChatError(error);
  if (known) {
    switch (known.code) {
      case 'permission_denied':
        return frame(WS_CODES.permissionDenied, known.message);
      case 'not_found':
        return frame(WS_CODES.notFound, 'Resource not found.');
      case 'conflict':
        return frame(WS_CODES.integrityError, known.message);
      case 'validation_failed':
        return frame(WS_CODES.validationError, validationDetail(known));
      default:
        return frame(WS_CODES.validationError, known.message);
    }
  }
  return frame(WS_CODES.internalError, 'Internal server error.');
}

/** Field errors as `{ field: [messages] }`; a rule on the whole input as its list of messages (what DRF sends). */
function validationDetail(error: ChatError): unknown {
  const details = error.details as Record<string, unknown> | undefined;
  if (!details || typeof details !== 'object') return [error.message];
  const keys = Object.keys(details);
  return keys.length === 1 && keys[0] === 'non_field_errors' ? details.non_field_errors : details;
}

/** An event type no handler is mapped to. */
export class UnknownEventType extends ChatError {
  constructor(eventType: string) {
    super('unknown_event_type', 'invalid event type', { event_type: eventType });
  }
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

/** A client frame, parsed: `event_type`, `data` (an object; absent reads as `{}`) and the optional `id`. */
export interface ClientRequest {
  readonly eventType: string;
  readonly data: Record<string, unknown>;
  readonly id?: unknown;
}

/** Why a frame could not be read: the error frame to answer with (`cause`: the field error, when one field is at fault). */
export class FrameError extends Error {
  constructor(
    message: string,
    readonly id?: unknown,
    readonly fieldError?: ChatError,
  ) {
    super(message);
  }
}

/** The longest request `id` (a string) and event type a frame may carry. */
export const MAX_ID_LENGTH = 128;

/** Whether a value may be a request `id`: a string of bounded length or a finite number (it is echoed back). */
export function isRequestId(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length <= MAX_ID_LENGTH && unstorableText(value) === undefined) || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Parses a client frame; throws `FrameError` (answered with code 4003) when it is not one. The
 * `id` is checked first, so an error can only echo an `id` that is safe to send back; `data` is
 * held to the bounds of client JSON (depth, storable text).
 */
export function parseRequest(text: string): ClientRequest {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    throw new FrameError('Malformed JSON.');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new FrameError('A frame must be a JSON object.');
  const { event_type: eventType, data, id } = frame as Record<string, unknown>;
  if (id !== undefined && id !== null && !isRequestId(id)) throw new FrameError(`"id" must be a string of at most ${MAX_ID_LENGTH} characters or a number.`);
  const echo = id === undefined || id === null ? undefined : id;
  if (typeof eventType !== 'string' || eventType === '') throw new FrameError('"event_type" must be a non-empty string.', echo);
  if (eventType.length > MAX_ID_LENGTH) throw new FrameError(`"event_type" is longer than ${MAX_ID_LENGTH} characters.`, echo);
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) throw new FrameError('"data" must be an object.', echo);
  try {
    checkUntrustedJson(data);
  } catch (error) {
    throw new FrameError((error as Error).message, echo, error as ChatError);
  }
  return { eventType, data: (data ?? {}) as Record<string, unknown>, ...(echo !== undefined ? { id: echo } : {}) };
}

/** An event as a socket receives it. */
export interface OutgoingEvent {
  readonly eventType: string;
  readonly data: unknown;
  readonly roomId?: string;
  readonly seq?: number;
}

const frameTexts = new WeakMap<OutgoingEvent, Buffer>();

/**
 * The UTF-8 text of an event frame; without `id` it is encoded once per event, however many
 * sockets receive it (a hundred members of a room share one buffer).
 */
export function eventFrameText(event: OutgoingEvent, id?: unknown): Buffer {
  if (id === undefined) {
    let text = frameTexts.get(event);
    if (text === undefined) {
      text = Buffer.from(jsonText(eventFrame(event)));
      frameTexts.set(event, text);
    }
    return text;
  }
  return Buffer.from(jsonText({ ...eventFrame(event), id }));
}

function eventFrame(event: OutgoingEvent): EventFrame {
  return {
    type: 'broadcast_group',
    eventType: event.eventType,
    data: event.data,
    ...(event.roomId !== undefined ? { room_id: event.roomId } : {}),
    ...(event.seq !== undefined ? { seq: event.seq } : {}),
  };
}
