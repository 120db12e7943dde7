/** Showing what the room event log refers to, as it is now: what a replayed event carries. */
import { Room } from '../../entities/room.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import { configuredSerializer, type EngineServices } from '../context.js';
import type { LogRefIds, ShownRefs } from '../log-refs.js';
import { showMessages } from './show.js';

/**
 * Shows the messages and rooms the log refers to, for every member alike (no acting user). A
 * deleted message, or a room that is gone, is left out: its events are not replayed.
 */
export async function renderLogged(services: EngineServices, ids: LogRefIds): Promise<ShownRefs> {
  const em = services.orm.em.fork();
  const messages = ids.messages.length === 0 ? [] : await em.find(model('Message'), { id: { $in: ids.messages }, isDeleted: false });
  const rooms = ids.rooms.length === 0 ? [] : await em.find(Room, { id: { $in: ids.rooms } });
  const shownMessages = await showMessages({ em, settings: services.settings }, messages);
  const roomSerializer = configuredSerializer(services.settings, 'RoomPolymorphicSerializer', em);
  const shownRooms: Representation[] = [];
  for (const room of rooms) shownRooms.push((await roomSerializer.serialize(room))!);
  return {
    messages: new Map(messages.map((message, i) => [message.id, shownMessages[i]])),
    rooms: new Map(rooms.map((room, i) => [room.id, shownRooms[i]])),
  };
}
