/**
 * What an action produces besides its result: events for the transports to deliver, and the
 * room-membership changes their connection groups must follow.
 */

/**
 * Who receives an event: every member of a room, or some users (each on every device). `askerOnly`
 * makes it a reply: only the socket that asked receives it (a REST caller has it as the response).
 */
export type Audience = { readonly room: string } | { readonly users: readonly string[]; readonly askerOnly?: boolean };

/** One event, in the original package's naming (`message.dispatch`...). */
export interface ChatEvent {
  readonly eventType: string;
  readonly data: unknown;
  readonly audience: Audience;
  /** For a room event: its number in the room's event log (set once it is logged). */
  readonly seq?: number;
  /** For a room event: the room. */
  readonly roomId?: string;
  /**
   * For a room event: what the room log keeps instead of `data`, with the messages and rooms it
   * shows as references (`messageRef`, `roomRef`), shown as they are when the event is replayed.
   * Without it the log keeps `data` as it is.
   */
  readonly logData?: unknown;
}

/** Users whose connections must join or leave a room's group. */
export interface GroupChange {
  readonly roomId: string;
  readonly join?: readonly string[];
  readonly leave?: readonly string[];
}

/** The outcome of an action: its result (what a REST response carries), events, group changes. */
export interface ActionResult<T = unknown> {
  readonly result: T;
  readonly events: readonly ChatEvent[];
  readonly groups: readonly GroupChange[];
  /** False when the action repeated an earlier one and changed nothing (an idempotent retry). */
  readonly created?: boolean;
  /** For a page of a list: the cursor of the next page (null on the last one). */
  readonly next?: string | null;
}

/** An event for every member of a room (`logData`: what the room log keeps instead of `data`). */
export function toRoom(roomId: string, eventType: string, data: unknown, logData?: unknown): ChatEvent {
  return { eventType, data, audience: { room: roomId }, ...(logData !== undefined ? { logData } : {}) };
}

/** A reply: for the socket that asked only (the user's other devices and REST callers get nothing). */
export function toAsker(userId: string, eventType: string, data: unknown): ChatEvent {
  return { eventType, data, audience: { users: [userId], askerOnly: true } };
}

/** An event for some users. */
export function toUsers(userIds: readonly string[], eventType: string, data: unknown): ChatEvent {
  return { eventType, data, audience: { users: [...new Set(userIds)] } };
}
