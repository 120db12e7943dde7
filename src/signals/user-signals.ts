/** Signals triggered by users: deleting a user deletes their one-to-one chats. */
import type { FlushEventArgs } from '@mikro-orm/core';
import { AbstractUser } from '../entities/user.js';
import { OneToOneChat } from '../entities/one-to-one-chat.js';
import { ChatSignal } from './chat-signal.js';

/**
 * When a user is deleted, the one-to-one chats they took part in go too (a chat with one
 * participant left has no meaning). Connected to the one-to-one chat classes it cleans up.
 */
export class DeleteOneToOneChatsOfDeletedUserSignal extends ChatSignal {
  readonly name = 'deleteOneToOneChatsOfDeletedUser';
  readonly description = "deletes a deleted user's one-to-one chats (of the connected one-to-one chat classes)";

  constructor() {
    super([OneToOneChat]);
  }

  async beforeFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const users = [...uow.getRemoveStack()].filter((entity): entity is AbstractUser => entity instanceof AbstractUser);
    if (users.length === 0) return;
    // A connected class the ORM does not know (a default swapped out) has no rows to clean.
    const discovered = this.connectedClassObjects().filter(cls => em.getMetadata().find(cls.name));
    for (const cls of discovered) {
      const rooms = await em.find(cls as typeof OneToOneChat, { participants: { $in: users.map(u => u.id) } });
      for (const room of rooms) em.remove(room);
    }
  }
}
