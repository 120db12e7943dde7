/**
 * Deleting messages of one room: soft (the row stays, emptied of what it said) or hard, as the
 * `messageSoftDelete` setting says; the room's last message moves back.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Room } from '../../entities/room.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import { toRoom, type ActionResult } from '../events.js';
import { dropMessageNotifications } from '../notifications.js';
import { lockMessages, lockRoomsOfMessages } from '../row-locks.js';

/** `message.modify` `delete`: messages of one room, by their sender or the room's creator and admins (moderators). */
export function deleteMessages(ctx: EngineContext, ids: readonly string[]): Promise<ActionResult<Representation>> {
  return ctx.transaction(async tx => {
    const { em } = tx;
    await lockRoomsOfMessages(em, ids);
    await lockMessages(em, ids);
    const { room, messages } = await tx.permissions.messageDelete(em, tx.user, ids);
    if (tx.settings.messageSoftDelete) {
      // A soft-deleted message keeps its row and nothing of what it said: content, attachments, pending notifications.
      for (const message of messages) {
        message.isDeleted = true;
        message.content = '';
      }
      await em.nativeDelete(model('MessageMediaAsset'), { message: { $in: [...ids] } });
      await dropMessageNotifications(em, ids);
    } else {
      em.remove(messages);
    }
    await em.flush();
    await refreshLastMessage(em, room);
    const shown = { status: 'successful', action: 'delete', message_ids: ids };
    return { result: shown, events: [toRoom(room.id, 'messagemodification.dispatch', shown)], groups: [] };
  });
}

/** Points the room at its latest message that is not deleted. */
async function refreshLastMessage(em: EntityManager, room: Room): Promise<void> {
  room.lastMessage = await em.findOne(model('Message'), { room: room.id, isDeleted: false }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  await em.flush();
}
