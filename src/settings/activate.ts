/**
 * Makes settings the process's active ones, before MikroORM discovers the entities: relations
 * declared with `model(token)` then resolve to the configured classes, and a custom room type
 * is stored under its token in `chat_room.type`.
 */
import { MetadataStorage } from '@mikro-orm/core';
import { activateModelOverrides, defaultModel, type EntityClass } from '../swappable/registry.js';
import { ROOM_TOKENS, SWAP_TOKENS, type SwapToken } from '../swappable/tokens.js';
import type { ChatSettings } from './types.js';

/** Activates the model overrides of `settings` for the whole process. */
export function activateChatSettings(settings: ChatSettings): void {
  const overrides = new Map<SwapToken, EntityClass>();
  for (const token of SWAP_TOKENS) {
    if (settings.models[token] !== defaultModel(token)) overrides.set(token, settings.models[token]);
  }
  for (const token of ROOM_TOKENS) {
    const cls = overrides.get(token);
    if (cls) MetadataStorage.getMetadataFromDecorator(cls).discriminatorValue = token;
  }
  activateModelOverrides(overrides);
}
