/**
 * The two ways history is shown, side by side: one statement (the serializer compiled to SQL) and
 * entities serialized one by one. Tests compare them for the default and a custom message.
 */
import { model, type AbstractMessage, type Representation } from '../../src/index.js';
import { representationSql } from '../../src/serializers/representation-sql.js';
import { PAGE_ROWS, shownHistoryPage } from '../../src/engine/history-page.js';
import type { SerializerClass } from '../../src/serializers/model-serializer.js';
import type { Api } from './api.js';

/** Where two JSON values first differ, as a path and the two values; undefined when they are equal (key order included). */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  if (typeof a !== 'object' || a === null) return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const [keysA, keysB] = [Object.keys(a), Object.keys(b as object)];
  if (keysA.join() !== keysB.join()) return `${path}: keys ${keysA.join()} vs ${keysB.join()}`;
  for (const key of keysA) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** A room's history both ways, newest first, as `viewer` reads it with the configured message serializer. */
export async function historyBothWays(api: Api, roomId: string, viewerId: string): Promise<{ inSql: Representation[] | undefined; fromEntities: Representation[] }> {
  const em = api.orm.em.fork();
  const cls = api.settings.serializers.MessageSerializer as SerializerClass;
  const shown = representationSql(em, api.settings, cls, model('Message'), PAGE_ROWS);
  const inSql = shown ? JSON.parse((await shownHistoryPage(em, shown, viewerId, roomId, { limit: 200 })).messagesJson) : undefined;
  const messages = (await em.find(model('Message'), { room: roomId, isDeleted: false } as never, { orderBy: { createdAt: 'desc', id: 'desc' } as never })) as AbstractMessage[];
  return { inSql, fromEntities: await new cls({ em, settings: api.settings }).serializeMany(messages) };
}
