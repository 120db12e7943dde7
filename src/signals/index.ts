/**
 * The package's signals, one subscriber each, bound to the default classes. `connectSignal`
 * reconnects one to a custom class; nothing attaches to a custom class on its own.
 */
import type { EventSubscriber } from '@mikro-orm/core';
import { ChatConfigurationError } from '../errors/configuration-error.js';
import type { ChatSignal } from './chat-signal.js';
import { DeleteEmptyNotificationsSignal, ReplaceReactionSignal } from './message-signals.js';
import {
  AddCreatorAsMemberSignal,
  CreateRoomPropertySignal,
  DEFAULT_ROOM_CLASSES,
  DeleteEmptyRoomsSignal,
  EnforceMemberLimitsSignal,
  EnforceOneToOneParticipantsSignal,
  SyncAdminPermissionsSignal,
} from './room-signals.js';
import { DeleteOneToOneChatsOfDeletedUserSignal } from './user-signals.js';

const { OneToOneChat, GroupChat, Channel } = DEFAULT_ROOM_CLASSES;

/** Every signal of the package, by name. */
export const SIGNALS = {
  createRoomProperty: new CreateRoomPropertySignal([OneToOneChat, GroupChat, Channel]),
  addCreatorAsMember: new AddCreatorAsMemberSignal([GroupChat, Channel]),
  enforceMemberLimits: new EnforceMemberLimitsSignal([GroupChat, Channel]),
  deleteEmptyRooms: new DeleteEmptyRoomsSignal([GroupChat, Channel]),
  syncAdminPermissions: new SyncAdminPermissionsSignal([GroupChat, Channel]),
  enforceOneToOneParticipants: new EnforceOneToOneParticipantsSignal([OneToOneChat]),
  deleteOneToOneChatsOfDeletedUser: new DeleteOneToOneChatsOfDeletedUserSignal(),
  replaceReaction: new ReplaceReactionSignal(),
  deleteEmptyNotifications: new DeleteEmptyNotificationsSignal(),
} as const;

/** The name of a signal of the package. */
export type SignalName = keyof typeof SIGNALS;

/** Makes a signal act for a custom class too, e.g. `connectSignal('addCreatorAsMember', CustomGroupChat)`. */
export function connectSignal(name: SignalName, cls: Function): void {
  signalNamed(name).connect(cls);
}

/** Stops a signal acting for a class (the defaults included). */
export function disconnectSignal(name: SignalName, cls: Function): void {
  signalNamed(name).disconnect(cls);
}

/** The subscribers to register with MikroORM (the package's config helper does it). */
export function chatSubscribers(): EventSubscriber[] {
  // Each signal implements the MikroORM hooks it needs (beforeFlush / onFlush).
  return Object.values(SIGNALS) as unknown as EventSubscriber[];
}

function signalNamed(name: SignalName): ChatSignal {
  const signal = (SIGNALS as Record<string, ChatSignal>)[name];
  if (!signal) {
    throw new ChatConfigurationError([{ path: `signals.${String(name)}`, message: `unknown signal. Signals: ${Object.keys(SIGNALS).sort().join(', ')}` }]);
  }
  return signal;
}

export { ChatSignal } from './chat-signal.js';
