/**
 * A room's messages, newest first: `room.messages` by numbered page (as the original's clients
 * ask) and the cursor history of REST and `room.history`. Each page is one statement when the
 * configured serializer and access rule allow it; otherwise entities are read and serialized.
 */
import { PermissionHandler } from '../../permissions/permission-handler.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { representationSql, type CompiledShown } from '../../serializers/representation-sql.js';
import { model } from '../../swappable/registry.js';
import { ValidationFailed } from '../../errors/chat-error.js';
import type { EngineContext } from '../context.js';
import { toAsker, type ActionResult } from '../events.js';
import { PAGE_ROWS, shownHistoryPage } from '../history-page.js';
import { withJsonText } from '../../serializers/json-text.js';
import { messagesByCursor, messagesByPage } from '../history.js';
import { objectInput, positiveInt, requiredId } from '../input.js';

/** The most messages one numbered or cursor page holds. */
export const MAX_PAGE_SIZE = 200;

/**
 * `room.messages`: a page at a time, `paginate: { page, size }` (a page past the end gives the
 * last page). Without it (or with `paginate: {}`), the first page of `MAX_PAGE_SIZE`: the original
 * returned every message, which has no bound; the paging fields say whether there is more.
 */
export async function roomMessages(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const given = input.paginate === undefined || input.paginate === null ? undefined : objectInput(input.paginate, 'paginate');
  // One of page and size alone is an error, as in the original.
  const paginate = given && (given.page !== undefined || given.size !== undefined) ? given : undefined;
  if (paginate && (paginate.page === undefined || paginate.size === undefined)) throw ValidationFailed.rule('page and size required');
  const page = paginate ? positiveInt(paginate.page, 'page', { max: Number.MAX_SAFE_INTEGER }) : 1;
  const size = paginate ? positiveInt(paginate.size, 'size', { max: MAX_PAGE_SIZE }) : MAX_PAGE_SIZE;
  const { em, user } = ctx;
  const inSql = historyInSql(ctx);
  let result: { page: number; hasNext: boolean; hasPrevious: boolean };
  let shownData: { room_id: string; messages: Representation[] };
  if (inSql) {
    const found = await shownHistoryPage(em, inSql, user.id, roomId, { page, size });
    result = found;
    shownData = withJsonText({ room_id: roomId, messages: [] as Representation[] }, { messages: found.messagesJson });
  } else {
    const room = await ctx.permissions.roomAccess(em, user, roomId);
    const found = await messagesByPage(em, room.id, page, size);
    result = found;
    shownData = { room_id: roomId, messages: await ctx.serializer('MessageSerializer').serializeMany(found.messages) };
  }
  const shown = {
    has_next: result.hasNext,
    has_previous: result.hasPrevious,
    next_page_number: result.hasNext ? result.page + 1 : null,
    prev_page_number: result.hasPrevious ? result.page - 1 : null,
    page: result.page,
    size,
    data: shownData,
  };
  return { result: shown, events: [toAsker(user.id, 'roommessages.dispatch', shown)], groups: [] };
}

/** A room's messages by cursor: `limit` at most `MAX_PAGE_SIZE` (default 50), `before` the cursor of the previous page. */
export async function messageHistory(ctx: EngineContext, data: unknown): Promise<ActionResult<{ results: Representation[]; next_cursor: string | null }>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  // A larger limit is capped, not refused: the client gets a full page and a cursor for the rest.
  const limit = input.limit === undefined ? 50 : Math.min(positiveInt(input.limit, 'limit'), MAX_PAGE_SIZE);
  const before = input.before === undefined || input.before === '' ? undefined : String(input.before);
  const { em, user } = ctx;
  const inSql = historyInSql(ctx);
  if (inSql) {
    const page = await shownHistoryPage(em, inSql, user.id, roomId, { before, limit });
    return { result: withJsonText({ results: [] as Representation[], next_cursor: page.nextCursor }, { results: page.messagesJson }), events: [], groups: [] };
  }
  const room = await ctx.permissions.roomAccess(em, user, roomId);
  const page = await messagesByCursor(em, room.id, before, limit);
  return { result: { results: await ctx.serializer('MessageSerializer').serializeMany(page.messages), next_cursor: page.nextCursor }, events: [], groups: [] };
}

/**
 * The SQL that shows a message as the configured serializer does, when history can be read in
 * one statement: the serializer's fields compile to SQL and the access rule is the package's.
 * Otherwise undefined: entities are loaded and serialized (a custom getter, a custom rule).
 */
function historyInSql(ctx: EngineContext): CompiledShown | undefined {
  if (ctx.permissions.roomAccess !== PermissionHandler.prototype.roomAccess) return undefined;
  return representationSql(ctx.em, ctx.settings, ctx.settings.serializers.MessageSerializer, model('Message'), PAGE_ROWS);
}
