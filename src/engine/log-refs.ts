/**
 * References the room event log keeps in place of representations. An event logged with
 * `{ "$message": id }` where its message was shows that message as it is when the event is
 * replayed: edited content, not the old one; a deleted message, not at all. So the log never holds
 * content the rows no longer show. Pure data, no I/O.
 */

/** A message or room the log refers to by id. */
export type LogRef = { readonly $message: string } | { readonly $room: string };

/** The ids a logged payload refers to. */
export interface LogRefIds {
  readonly messages: string[];
  readonly rooms: string[];
}

/** What the referenced objects look like now; an id missing from a map is gone (deleted, or no longer shown). */
export interface ShownRefs {
  readonly messages: ReadonlyMap<string, unknown>;
  readonly rooms: ReadonlyMap<string, unknown>;
}

/** Shows the referenced objects as they are now. */
export type LogRenderer = (ids: LogRefIds) => Promise<ShownRefs>;

/** A reference to a message, shown as it is at replay. */
export function messageRef(id: string): LogRef {
  return { $message: id };
}

/** A reference to a room, shown as it is at replay. */
export function roomRef(id: string): LogRef {
  return { $room: id };
}

function refOf(value: unknown): { kind: 'messages' | 'rooms'; id: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [key, id]: [string, unknown] = entries[0]!;
  if (typeof id !== 'string') return undefined;
  if (key === '$message') return { kind: 'messages', id };
  if (key === '$room') return { kind: 'rooms', id };
  return undefined;
}

/** Adds the ids `data` refers to into `into`. */
export function collectRefs(data: unknown, into: { messages: Set<string>; rooms: Set<string> }): void {
  const ref = refOf(data);
  if (ref) {
    into[ref.kind].add(ref.id);
    return;
  }
  if (Array.isArray(data)) for (const item of data) collectRefs(item, into);
  else if (typeof data === 'object' && data !== null) for (const value of Object.values(data)) collectRefs(value, into);
}

/** Marks an event whose subject is gone: it is not replayed. */
const GONE = Symbol('gone');

/**
 * `data` with every reference replaced by what it shows now, or undefined when the event must
 * not be replayed: the object it is about is gone. A gone item of a list (one message of a bulk
 * read) is left out; a list left empty, like any other gone reference, drops the whole event.
 */
export function resolveRefs(data: unknown, shown: ShownRefs): unknown {
  const resolved = resolve(data, shown);
  return resolved === GONE ? undefined : resolved;
}

function resolve(data: unknown, shown: ShownRefs): unknown {
  const ref = refOf(data);
  if (ref) return shown[ref.kind].has(ref.id) ? shown[ref.kind].get(ref.id) : GONE;
  if (Array.isArray(data)) {
    const items = data.map(item => resolve(item, shown));
    const kept = items.filter(item => item !== GONE);
    return kept.length === 0 && items.length > 0 ? GONE : kept;
  }
  if (typeof data === 'object' && data !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      const item = resolve(value, shown);
      if (item === GONE) return GONE;
      out[key] = item;
    }
    return out;
  }
  return data;
}
