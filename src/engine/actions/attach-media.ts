/** A message's attachments: the media items sent with it, or the original's for a forward. */
import { randomUUID } from 'node:crypto';
import { ReferenceKind, type RequiredEntityData } from '@mikro-orm/core';
import type { AbstractMessageMediaAsset } from '../../entities/message-media-asset.js';
import type { AbstractMessage } from '../../entities/message.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import { objectInput } from '../input.js';

/**
 * Stores a message's attachments in one statement: the validated `media` items, or for a forward
 * a copy of the original's attachments as they are now (the forward keeps them whatever happens
 * to the original).
 */
export async function attachMedia(ctx: EngineContext, message: AbstractMessage, media: readonly unknown[], original?: AbstractMessage): Promise<void> {
  const { em } = ctx;
  const Asset = model('MessageMediaAsset');
  const rows: Record<string, unknown>[] = [];
  const serializer = ctx.serializer('MessageMediaAssetSerializer');
  for (const item of media) rows.push(await serializer.validate({ ...objectInput(item, 'media'), message_id: message.id }, { resolved: { message_id: message } }));
  if (media.length === 0 && original) {
    const copied = em.getMetadata().find(Asset.name)!.props.filter(p => p.kind === ReferenceKind.SCALAR && !p.primary);
    for (const asset of await original.attachments.loadItems()) rows.push({ ...Object.fromEntries(copied.map(p => [p.name, Reflect.get(asset, p.name)])), message });
  }
  if (rows.length === 0) return;
  // Ascending ids keep the attachments in the order they came in (the collection is ordered by id).
  const ids = rows.map(() => randomUUID()).sort();
  // Rows validated by the configured serializer (or copied from an attachment): entity data its `Record` type cannot say.
  await em.insertMany(rows.map((row, i) => em.create(Asset, { ...row, id: ids[i] } as RequiredEntityData<AbstractMessageMediaAsset>, { persist: false })));
  await em.populate(message, ['attachments'], { refresh: true });
}
