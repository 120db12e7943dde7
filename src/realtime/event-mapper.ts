/**
 * Which consumer method handles which event type: the original's sixteen, our additions, and
 * whatever the `eventMapper` setting adds or removes (`null`).
 */
import { ChatConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import type { ChatConsumer } from './consumer.js';
import type { ClientRequest } from './protocol.js';

/** A handler: called with the socket's consumer, the frame's `data` and the whole request. */
export type EventMapperHandler = (consumer: ChatConsumer, data: Record<string, unknown>, request: ClientRequest) => unknown;

/** The default event types and the `ChatConsumer` methods that handle them. */
export const DEFAULT_EVENT_MAP: Readonly<Record<string, string>> = Object.freeze({
  'message.send': 'sendMessage',
  'message.acknowledged': 'acknowledgeMessages',
  'message.read': 'readMessages',
  'message.react': 'reactToMessage',
  'message.typing': 'typing',
  'message.modify': 'modifyMessage',
  'room.create': 'createRoom',
  'room.list': 'listRooms',
  'room.info': 'roomInfo',
  'room.messages': 'roomMessages',
  'room.add_members': 'addMembers',
  'room.remove_members': 'removeMembers',
  'room.join': 'joinRoom',
  'room.leave': 'leaveRoom',
  'room.modify': 'modifyRoom',
  'session.heartbeat': 'heartbeat',
  'session.resume': 'resume',
  'room.history': 'messageHistory',
  'presence.query': 'queryPresence',
});

/** The event map of the settings over the defaults, checked against the consumer class. */
export function resolveEventMap(custom: Readonly<Record<string, unknown>>, consumerClass: typeof ChatConsumer): Map<string, EventMapperHandler> {
  const problems: ConfigurationProblem[] = [];
  const out = new Map<string, EventMapperHandler>();
  for (const [eventType, entry] of Object.entries({ ...DEFAULT_EVENT_MAP, ...custom })) {
    if (entry === null) continue;
    if (typeof entry === 'function') {
      out.set(eventType, entry as EventMapperHandler);
    } else if (typeof entry === 'string' && typeof (consumerClass.prototype as unknown as Record<string, unknown>)[entry] === 'function') {
      out.set(eventType, (consumer, data, request) => (consumer as unknown as Record<string, (d: unknown, r: ClientRequest) => unknown>)[entry]!(data, request));
    } else {
      problems.push({
        path: `eventMapper['${eventType}']`,
        message: typeof entry === 'string' ? `${consumerClass.name} has no method '${entry}'` : 'must be a method name, a function or null',
      });
    }
  }
  if (problems.length > 0) throw new ChatConfigurationError(problems);
  return out;
}
