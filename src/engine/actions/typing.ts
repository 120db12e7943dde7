/** `message.typing`: tells a room the user is typing; nothing is stored. */
import type { EngineContext } from '../context.js';
import { toRoom, type ActionResult } from '../events.js';
import { objectInput, requiredId } from '../input.js';

/** `message.typing`: for the members of a room the user may post in. */
export async function typing(ctx: EngineContext, data: unknown): Promise<ActionResult<{ username: string }>> {
  const roomId = requiredId(objectInput(data).room_id, 'room_id');
  const room = await ctx.permissions.send(ctx.em, ctx.user, roomId);
  const shown = { username: ctx.user.username };
  return { result: shown, events: [toRoom(room.id, 'messagetyping.dispatch', shown)], groups: [] };
}
