/** Rooms made through the API, for the API tests. */
import type { AbstractUser } from '../../src/index.js';
import type { Api } from './api.js';

/** Creates a room as `owner` and returns its id. */
export async function createRoom(api: Api, owner: AbstractUser, body: Record<string, unknown>): Promise<string> {
  const response = await api.call(owner, 'POST', '/rooms', body);
  if (response.status !== 201 && response.status !== 200) throw new Error(`cannot create room: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** A group of `owner` with `members`. */
export function group(api: Api, owner: AbstractUser, members: AbstractUser[], extra: Record<string, unknown> = {}): Promise<string> {
  return createRoom(api, owner, { type: 'GroupChat', name: 'Group', participants: members.map(m => m.id), ...extra });
}

/** A channel of `owner` with `subscribers`. */
export function channel(api: Api, owner: AbstractUser, subscribers: AbstractUser[], extra: Record<string, unknown> = {}): Promise<string> {
  return createRoom(api, owner, { type: 'Channel', name: 'Channel', subscribers: subscribers.map(m => m.id), ...extra });
}

/** Sends a message and returns its representation. */
export async function send(api: Api, user: AbstractUser, roomId: string, body: Record<string, unknown> | string): Promise<any> {
  const response = await api.call(user, 'POST', `/rooms/${roomId}/messages`, typeof body === 'string' ? { content: body } : body);
  if (response.status !== 201 && response.status !== 200) throw new Error(`cannot send: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
