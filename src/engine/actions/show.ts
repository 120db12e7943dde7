/**
 * How actions show what they touched: messages and rooms as the configured serializers present
 * them, read afresh or reloaded after the action changed them.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractMessage } from '../../entities/message.js';
import type { Room } from '../../entities/room.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { ChatSettings } from '../../settings/types.js';
import { configuredSerializer, type EngineContext } from '../context.js';

/** What showing a message needs: an entity manager to read with and the settings that name the serializer. */
export interface Reader {
  readonly em: EntityManager;
  readonly settings: ChatSettings;
}

/**
 * Several messages as the configured serializer shows them to everyone (not as the acting user
 * sees them: every member of the room receives the same event), in order, relations loaded in batches.
 */
export function showMessages(ctx: Reader, messages: readonly AbstractMessage[]): Promise<Representation[]> {
  return configuredSerializer(ctx.settings, 'MessageSerializer', ctx.em).serializeMany(messages);
}

/** One message as `showMessages` shows it. */
export async function showMessage(ctx: Reader, message: AbstractMessage): Promise<Representation> {
  return (await configuredSerializer(ctx.settings, 'MessageSerializer', ctx.em).serialize(message))!;
}

/** A committed message as the configured serializer shows it, read afresh. */
export async function showStored(ctx: Reader, id: string): Promise<Representation> {
  const message = await ctx.em.findOneOrFail(model('Message'), { id });
  return (await showMessages(ctx, [message]))[0]!;
}

/** A room in detail, as the configured serializers show it to the acting user. */
export async function showRoom(ctx: EngineContext, room: Room): Promise<Representation> {
  return (await ctx.serializer('RoomPolymorphicSerializer').serialize(room))!;
}

/** Reloads what messages show of their reactions, receipts, attachments and deliveries, after the action changed them. */
export async function refreshMessages(em: EntityManager, messages: readonly AbstractMessage[]): Promise<void> {
  if (messages.length > 0) await em.populate([...messages], ['readReceipts', 'reactions', 'attachments', 'deliveredTo'], { refresh: true });
}

/** What `shownOnce` shows: the message as the entity manager that wrote it holds it, or only its id (read afresh). */
export interface WrittenMessage {
  readonly ctx?: EngineContext;
  readonly message?: AbstractMessage;
  readonly id: string;
}

/**
 * Shows a message once, however many times it is asked for (the action's result and a push
 * notification after commit share it): from the context that wrote it (what it just wrote is
 * already loaded), or read afresh.
 */
export function shownOnce(ctx: EngineContext, source: () => WrittenMessage): () => Promise<Representation> {
  let shown: Promise<Representation> | undefined;
  return () =>
    (shown ??= (async () => {
      const { ctx: writer, message, id } = source();
      return writer && message ? showMessage(writer, message) : showStored(ctx.fresh(), id);
    })());
}
