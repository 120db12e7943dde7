/**
 * A seeded generator of hostile input for the fuzz tests: valid requests of every kind, then
 * mutated (values swapped for random JSON, text PostgreSQL refuses, numbers past any column,
 * nesting thousands deep, fields dropped or added, types changed). The same seed gives the same
 * sequence, so a failure can be replayed with `FUZZ_SEED`.
 */

/** A small deterministic PRNG (mulberry32). */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '😀',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../etc/passwd',
  "'; drop table chat_message; --",
  '%00',
  '\u202e',
  '__proto__',
  'constructor',
  'x'.repeat(70_000),
  '00000000-0000-0000-0000-000000000000',
  '2026-13-45T99:99:99Z',
  'NaN',
];

const NASTY_NUMBERS = [0, -1, 1, 1.5, -0, 2147483647, 2147483648, -2147483649, 1e19, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, 0.000001];

/** JSON nested `depth` levels (objects or arrays). */
export function deepJson(depth: number, arrays: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
}

/** A random JSON value, hostile more often than not. */
export function randomValue(random: Random, ids: readonly string[], depth = 0): unknown {
  switch (random.int(depth > 2 ? 6 : 9)) {
    case 0:
      return random.pick(NASTY_STRINGS);
    case 1:
      return random.pick(NASTY_NUMBERS);
    case 2:
      return random.pick([true, false, null]);
    case 3:
      return random.pick(ids);
    case 4:
      return ids.length > 0 ? [random.pick(ids), random.pick(ids)] : [];
    case 5:
      return random.pick([`${random.int(1000)}`, 'hello', 'add', 'remove', 'update', 'delete', 'GroupChat', 'Channel', 'OneToOneChat', 'image', 'image/png']);
    case 6:
      return deepJson(random.pick([40, 500, 5000]), random.chance(0.5));
    case 7:
      return Array.from({ length: random.int(4) }, () => randomValue(random, ids, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(['a', 'content', 'room_id', 'message_id', 'page', 'size', 'media', '__proto__', 'x\u0000']), randomValue(random, ids, depth + 1)]));
  }
}

/** A copy of `value` with one of its fields (at any depth) replaced, removed or added. */
export function mutate(random: Random, value: unknown, ids: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return random.chance(0.7) ? randomValue(random, ids) : value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const action = random.int(4);
  if (keys.length === 0 || action === 0) {
    (copy as Record<string, unknown>)[random.pick(['extra', 'content', 'id', 'data', 'room_id', 'paginate', 'extra_fields'])] = randomValue(random, ids);
  } else {
    const key = random.pick(keys);
    const target = copy as Record<string, unknown>;
    if (action === 1) delete target[key];
    else if (action === 2) target[key] = randomValue(random, ids);
    else target[key] = mutate(random, target[key], ids);
  }
  return copy;
}

/** Whether a server frame has one of the shapes the protocol defines (and an error frame a known code). */
export function wellFormedFrame(frame: any): string | undefined {
  if (typeof frame !== 'object' || frame === null) return 'not an object';
  if ('error' in frame) {
    const codes = [4002, 4003, 4004, 4005, 4029];
    if (!codes.includes(frame.error?.code)) return `error code ${frame.error?.code}`;
    if (frame.error.detail === undefined) return 'an error without detail';
    return undefined;
  }
  if (frame.type === 'broadcast_group') return typeof frame.eventType === 'string' ? undefined : 'an event without eventType';
  if (frame.type === 'ack' || frame.status === 'success') return undefined;
  return `an unknown frame shape: ${JSON.stringify(frame).slice(0, 200)}`;
}
