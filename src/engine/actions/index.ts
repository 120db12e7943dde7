/** The engine's actions, one module each, every one a function of an `EngineContext` and the action's data. */
export { sendMessage } from './send-message.js';
export { modifyMessage } from './modify-message.js';
export { reactToMessage } from './react.js';
export { readMessages, readUpTo } from './read.js';
export { acknowledgeMessages } from './acknowledge.js';
export { typing } from './typing.js';
export { roomMessages, messageHistory, MAX_PAGE_SIZE } from './room-history.js';
export { pendingNotifications } from './pending-notifications.js';
export { renderLogged } from './render-logged.js';
export { createRoom } from './rooms/create-room.js';
export { listRooms, roomInfo } from './rooms/list-rooms.js';
export { addMembers, removeMembers, joinRoom, leaveRoom } from './rooms/membership.js';
export { modifyRoom } from './rooms/modify-room.js';
