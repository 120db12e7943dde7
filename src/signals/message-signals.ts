/** Signals of message-side models: reaction replacement, notification cleanup. */
import type { FlushEventArgs } from '@mikro-orm/core';
import { ChangeSetType } from '@mikro-orm/core';
import { ChatNotification } from '../entities/chat-notification.js';
import type { AbstractReaction } from '../entities/reaction.js';
import { Reaction } from '../entities/reaction.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { ChatSignal } from './chat-signal.js';
import { collectionChanges, removeInFlush } from './flush-changes.js';

/** A reaction needs content; a user's new reaction on a message replaces their previous one. */
export class ReplaceReactionSignal extends ChatSignal {
  readonly name = 'replaceReaction';
  readonly description = "rejects empty reactions and replaces a user's previous reaction on the same message";

  constructor() {
    super([Reaction]);
  }

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    for (const cs of uow.getChangeSets()) {
      if (cs.type !== ChangeSetType.CREATE && cs.type !== ChangeSetType.UPDATE) continue;
      if (!this.handles(cs.entity)) continue;
      const reaction = cs.entity as AbstractReaction;
      if (!reaction.reactionContent) throw ValidationFailed.rule("reaction_content can't be empty");
      if (cs.type !== ChangeSetType.CREATE) continue;
      const previous = await em.find(reaction.constructor as typeof Reaction, {
        user: reaction.user,
        message: reaction.message,
        id: { $ne: reaction.id },
      });
      // Deleted before the insert, as the (message, user) key stays unique.
      for (const old of previous) removeInFlush(em, uow, old, true);
    }
  }
}

/** A notification whose last recipient is removed is deleted. */
export class DeleteEmptyNotificationsSignal extends ChatSignal {
  readonly name = 'deleteEmptyNotifications';
  readonly description = 'deletes a chat notification when its last recipient is removed';

  constructor() {
    super([ChatNotification]);
  }

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const changes = await collectionChanges(uow, (owner, property) => this.handles(owner) && property === 'recipients');
    for (const change of changes) {
      if (change.removed.length > 0 && change.after.length === 0 && !change.ownerIsNew) removeInFlush(em, uow, change.owner);
    }
  }
}
