/** The swap tokens: the names under which each replaceable model is known to the settings. */

/** Every token a model can be swapped under. `Room` is deliberately absent: it is never swappable. */
export const SWAP_TOKENS = [
  'User',
  'Session',
  'RoomProperty',
  'OneToOneChat',
  'GroupChat',
  'Channel',
  'Message',
  'MessageMediaAsset',
  'ReadReceipt',
  'ChatNotification',
  'Reaction',
] as const;

/** A name under which a model can be swapped, e.g. `'Message'`. */
export type SwapToken = (typeof SWAP_TOKENS)[number];

/** The tokens whose models are room types (single-table children of `Room`). */
export const ROOM_TOKENS = ['OneToOneChat', 'GroupChat', 'Channel'] as const;

/** A token of a room type. */
export type RoomToken = (typeof ROOM_TOKENS)[number];

/**
 * The entity type behind each token. Entity modules add their abstract base here by declaration
 * merging, so this layer never imports the entities it resolves.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SwapModelTypes {}

/** The entity type of a token once the entity modules are loaded, `object` before. */
export type ModelOf<K extends SwapToken> = K extends keyof SwapModelTypes ? SwapModelTypes[K] : object;

/** Whether a string names a swap token. */
export function isSwapToken(value: string): value is SwapToken {
  return SWAP_TOKENS.some(token => token === value);
}

/** Whether a token names a room type. */
export function isRoomToken(token: SwapToken): token is RoomToken {
  return ROOM_TOKENS.some(room => room === token);
}
