/** The swappable-model layer: tokens, the decorator and the registry. */
export { SWAP_TOKENS, ROOM_TOKENS, isSwapToken, isRoomToken } from './tokens.js';
export type { SwapToken, RoomToken, SwapModelTypes, ModelOf } from './tokens.js';
export { Swappable } from './swappable.js';
export { model, defaultModel, isSwapped, tokenOf, registeredTokens, activateModelOverrides, registerDefaultModel } from './registry.js';
export type { EntityClass } from './registry.js';
