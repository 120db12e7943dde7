/** `room.list` and `room.info`: the user's rooms a page at a time, and one room in detail. */
import type { Representation } from '../../../serializers/model-serializer.js';
import type { EngineContext } from '../../context.js';
import { toAsker, type ActionResult } from '../../events.js';
import { unreadCounts } from '../../history.js';
import { objectInput, positiveInt, requiredId } from '../../input.js';
import { DEFAULT_ROOM_PAGE, MAX_ROOM_PAGE, roomsByActivity } from '../../room-list.js';
import { showRoom } from '../show.js';

/**
 * `room.list`: the user's rooms, each with its last message and unread count, most recent
 * first, a page at a time (`limit`, default 100, at most 500; `before`, the cursor of the
 * previous page, carried by the outcome's `next`).
 */
export async function listRooms(ctx: EngineContext, data?: unknown): Promise<ActionResult<Representation[]>> {
  const input = objectInput(data);
  const limit = input.limit === undefined ? DEFAULT_ROOM_PAGE : Math.min(positiveInt(input.limit, 'limit'), MAX_ROOM_PAGE);
  const before = input.before === undefined || input.before === null || input.before === '' ? undefined : String(input.before);
  const { em, user } = ctx;
  const page = await roomsByActivity(em, user.id, limit, before);
  const unread = await unreadCounts(em, user.id, page.rooms.map(room => room.id));
  const shown = await ctx.serializer('RoomListPolymorphicSerializer').serializeMany(page.rooms);
  for (const room of shown) room.unread_count = unread.get(String(room.id)) ?? 0;
  return { result: shown, events: [toAsker(user.id, 'roomlist.dispatch', shown)], groups: [], next: page.nextCursor };
}

/** `room.info`: one room the user is a member of, in detail. */
export async function roomInfo(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const roomId = requiredId(objectInput(data).room_id, 'room_id');
  const room = await ctx.permissions.roomAccess(ctx.em, ctx.user, roomId);
  const shown = await showRoom(ctx, room);
  return { result: shown, events: [toAsker(ctx.user.id, 'roominfo.dispatch', shown)], groups: [] };
}
