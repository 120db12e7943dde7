/**
 * The permission matrix: each action by a creator, admin, participant, subscriber, moderator,
 * sender, another member and a stranger, with the status each gets. A stranger (not a member) gets
 * 404, exactly as for a room or message that does not exist. Every row starts from a fresh world,
 * so rows that change things do not affect the others.
 */
import test from 'ava';
import type { AbstractUser } from '../../src/index.js';
import type { Api } from '../helpers/api.js';
import { channel, createRoom, group, send } from '../helpers/rooms.js';

interface World {
  readonly users: Record<'creator' | 'admin' | 'participant' | 'member' | 'stranger' | 'moderator' | 'subscriber', AbstractUser>;
  readonly group: string;
  readonly channel: string;
  readonly publicChannel: string;
  readonly locked: string;
  readonly direct: string;
  /** Sent by `participant` in `group`. */
  readonly message: string;
}

async function world(api: Api): Promise<World> {
  const [creator, admin, participant, member, stranger, moderator, subscriber] = await api.users('creator', 'admin', 'participant', 'member', 'stranger', 'moderator', 'subscriber');
  const groupId = await group(api, creator!, [admin!, participant!, member!]);
  await api.call(creator!, 'POST', `/rooms/${groupId}/modify`, { action: 'add_admin', data: { users: [admin!.id] } });
  const channelId = await channel(api, creator!, [moderator!, subscriber!]);
  await api.call(creator!, 'POST', `/rooms/${channelId}/modify`, { action: 'add_moderator', data: { users: [moderator!.id] } });
  const publicChannel = await channel(api, creator!, [], { is_public: true });
  const locked = await group(api, creator!, [participant!], { group_locked: true });
  const direct = await createRoom(api, participant!, { type: 'OneToOneChat', participants: [member!.id] });
  const message = (await send(api, participant!, groupId, 'by the participant')).id as string;
  return { users: { creator: creator!, admin: admin!, participant: participant!, member: member!, stranger: stranger!, moderator: moderator!, subscriber: subscriber! }, group: groupId, channel: channelId, publicChannel, locked, direct, message };
}

type Actor = keyof World['users'];
interface Row {
  readonly what: string;
  readonly as: Actor;
  readonly method: string;
  readonly path: (w: World) => string;
  readonly body?: (w: World) => unknown;
  readonly status: number;
  readonly message?: string;
  readonly before?: (api: Api, w: World) => Promise<unknown>;
  readonly check?: (api: Api, w: World, body: any) => Promise<boolean> | boolean;
}

const ROWS: Row[] = [
  { what: 'reads a group', as: 'creator', method: 'GET', path: w => `/rooms/${w.group}`, status: 200 },
  { what: 'reads a group', as: 'admin', method: 'GET', path: w => `/rooms/${w.group}`, status: 200 },
  { what: 'reads a group', as: 'participant', method: 'GET', path: w => `/rooms/${w.group}`, status: 200 },
  { what: 'reads a group', as: 'stranger', method: 'GET', path: w => `/rooms/${w.group}`, status: 404, check: (_, w, body) => body.error.message === `Room ${w.group} not found` },
  { what: 'reads a channel', as: 'subscriber', method: 'GET', path: w => `/rooms/${w.channel}`, status: 200 },
  { what: 'reads a channel', as: 'stranger', method: 'GET', path: w => `/rooms/${w.channel}`, status: 404 },
  { what: 'reads the history of a group', as: 'stranger', method: 'GET', path: w => `/rooms/${w.group}/messages`, status: 404 },
  { what: 'sends to a group', as: 'participant', method: 'POST', path: w => `/rooms/${w.group}/messages`, body: () => ({ content: 'hi' }), status: 201 },
  { what: 'sends to a group', as: 'stranger', method: 'POST', path: w => `/rooms/${w.group}/messages`, body: () => ({ content: 'hi' }), status: 404 },
  { what: 'sends to a channel', as: 'creator', method: 'POST', path: w => `/rooms/${w.channel}/messages`, body: () => ({ content: 'news' }), status: 201 },
  { what: 'sends to a channel', as: 'moderator', method: 'POST', path: w => `/rooms/${w.channel}/messages`, body: () => ({ content: 'news' }), status: 201 },
  { what: 'sends to a channel', as: 'subscriber', method: 'POST', path: w => `/rooms/${w.channel}/messages`, body: () => ({ content: 'news' }), status: 403 },
  {
    what: 'sends to a channel once granted can_send_messages',
    as: 'subscriber',
    method: 'POST',
    path: w => `/rooms/${w.channel}/messages`,
    body: () => ({ content: 'news' }),
    status: 201,
    before: (api, w) => api.call(w.users.creator, 'POST', `/rooms/${w.channel}/modify`, { action: 'add_permission', data: { users: [w.users.subscriber.id], permission: ['can_send_messages'] } }),
  },
  { what: 'sends to a locked group', as: 'creator', method: 'POST', path: w => `/rooms/${w.locked}/messages`, body: () => ({ content: 'hi' }), status: 201 },
  { what: 'sends to a locked group', as: 'participant', method: 'POST', path: w => `/rooms/${w.locked}/messages`, body: () => ({ content: 'hi' }), status: 403 },
  { what: 'sends to a one-to-one chat', as: 'member', method: 'POST', path: w => `/rooms/${w.direct}/messages`, body: () => ({ content: 'hi' }), status: 201 },
  { what: 'sends to a one-to-one chat', as: 'stranger', method: 'POST', path: w => `/rooms/${w.direct}/messages`, body: () => ({ content: 'hi' }), status: 404 },
  { what: 'adds a member to a group', as: 'creator', method: 'POST', path: w => `/rooms/${w.group}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 200 },
  { what: 'adds a member to a group', as: 'admin', method: 'POST', path: w => `/rooms/${w.group}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 200 },
  { what: 'adds a member to a group', as: 'participant', method: 'POST', path: w => `/rooms/${w.group}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 403, message: 'User is not authorized to add new members to this room' },
  { what: 'adds a member to a group', as: 'stranger', method: 'POST', path: w => `/rooms/${w.group}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 404 },
  { what: 'adds a subscriber to a channel', as: 'moderator', method: 'POST', path: w => `/rooms/${w.channel}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 200 },
  { what: 'adds a subscriber to a channel', as: 'subscriber', method: 'POST', path: w => `/rooms/${w.channel}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 403 },
  { what: 'adds a member to a one-to-one chat', as: 'participant', method: 'POST', path: w => `/rooms/${w.direct}/members`, body: w => ({ members: [w.users.stranger.id] }), status: 400, message: 'Invalid room, Can only add or remove members from Groups/Channels' },
  { what: 'removes a participant', as: 'admin', method: 'DELETE', path: w => `/rooms/${w.group}/members/${w.users.member.id}`, status: 200, check: (_, w, body) => body.removed_members.length === 1 && body.removed_by === w.users.admin.username },
  { what: 'removes the creator (who stays)', as: 'admin', method: 'DELETE', path: w => `/rooms/${w.group}/members/${w.users.creator.id}`, status: 200, check: (_, __, body) => body.removed_members.length === 0 },
  { what: 'removes a participant', as: 'participant', method: 'DELETE', path: w => `/rooms/${w.group}/members/${w.users.member.id}`, status: 403, message: 'User is not authorized to remove members from this room' },
  { what: 'renames a group', as: 'creator', method: 'PATCH', path: w => `/rooms/${w.group}`, body: () => ({ name: 'Renamed' }), status: 200, check: (_, __, body) => body.name === 'Renamed' },
  { what: 'renames a group', as: 'admin', method: 'PATCH', path: w => `/rooms/${w.group}`, body: () => ({ name: 'Renamed' }), status: 200 },
  { what: 'renames a group', as: 'participant', method: 'PATCH', path: w => `/rooms/${w.group}`, body: () => ({ name: 'Renamed' }), status: 403, message: 'User is not an admin of this room' },
  { what: 'renames a group', as: 'stranger', method: 'PATCH', path: w => `/rooms/${w.group}`, body: () => ({ name: 'Renamed' }), status: 404 },
  { what: 'updates a channel', as: 'moderator', method: 'PATCH', path: w => `/rooms/${w.channel}`, body: () => ({ description: 'About' }), status: 200 },
  { what: 'updates a channel', as: 'subscriber', method: 'PATCH', path: w => `/rooms/${w.channel}`, body: () => ({ description: 'About' }), status: 403 },
  { what: 'deletes a group', as: 'admin', method: 'DELETE', path: w => `/rooms/${w.group}`, status: 403, message: 'User is not the creator of this room' },
  { what: 'deletes a group', as: 'creator', method: 'DELETE', path: w => `/rooms/${w.group}`, status: 200, check: async (api, w) => (await api.call(w.users.creator, 'GET', `/rooms/${w.group}`)).status === 404 },
  { what: 'updates the property of a one-to-one chat', as: 'participant', method: 'PATCH', path: w => `/rooms/${w.direct}`, body: () => ({ property: { preferences: { muted: true } } }), status: 200, check: (_, __, body) => body.property.preferences.muted === true },
  { what: 'deletes a one-to-one chat', as: 'member', method: 'DELETE', path: w => `/rooms/${w.direct}`, status: 200 },
  { what: 'edits their message', as: 'participant', method: 'PATCH', path: w => `/messages/${w.message}`, body: () => ({ content: 'edited' }), status: 200 },
  { what: "edits another's message", as: 'admin', method: 'PATCH', path: w => `/messages/${w.message}`, body: () => ({ content: 'edited' }), status: 403, message: 'User is not authorized to modify this message' },
  { what: "edits another's message", as: 'member', method: 'PATCH', path: w => `/messages/${w.message}`, body: () => ({ content: 'edited' }), status: 403 },
  { what: 'deletes their message', as: 'participant', method: 'DELETE', path: w => `/messages/${w.message}`, status: 200 },
  { what: "deletes another's message as an admin", as: 'admin', method: 'DELETE', path: w => `/messages/${w.message}`, status: 200 },
  { what: "deletes another's message as the creator", as: 'creator', method: 'DELETE', path: w => `/messages/${w.message}`, status: 200 },
  { what: "deletes another's message", as: 'member', method: 'DELETE', path: w => `/messages/${w.message}`, status: 403 },
  { what: "deletes another's message", as: 'stranger', method: 'DELETE', path: w => `/messages/${w.message}`, status: 404 },
  { what: 'reacts to a message', as: 'member', method: 'POST', path: w => `/messages/${w.message}/reactions`, body: () => ({ reaction_content: '👍' }), status: 200 },
  { what: 'reacts to a message', as: 'stranger', method: 'POST', path: w => `/messages/${w.message}/reactions`, body: () => ({ reaction_content: '👍' }), status: 404, check: (_, w, body) => body.error.message === `Message ${w.message} not found` },
  { what: 'reads a message', as: 'admin', method: 'POST', path: () => '/messages/read', body: w => ({ message_id: w.message }), status: 200 },
  { what: 'reads a message', as: 'stranger', method: 'POST', path: () => '/messages/read', body: w => ({ message_id: w.message }), status: 404 },
  { what: 'joins a public channel', as: 'stranger', method: 'POST', path: w => `/rooms/${w.publicChannel}/join`, status: 200 },
  { what: 'joins a private channel', as: 'stranger', method: 'POST', path: w => `/rooms/${w.channel}/join`, status: 400, message: 'Channel is private, ask a moderator to add you to the channel' },
  { what: 'joins a group', as: 'stranger', method: 'POST', path: w => `/rooms/${w.group}/join`, status: 400, message: 'Ask an admin to add you to the group' },
  { what: 'leaves a one-to-one chat', as: 'participant', method: 'POST', path: w => `/rooms/${w.direct}/leave`, status: 400, message: 'You can only leave a channel/group chat' },
  { what: 'leaves a group', as: 'member', method: 'POST', path: w => `/rooms/${w.group}/leave`, status: 200 },
];

export function permissionsSuite(api: Api): void {
  for (const row of ROWS) {
    test(`the ${row.as} ${row.what}: ${row.status}`, async t => {
      const w = await world(api);
      await row.before?.(api, w);
      const response = await api.call(w.users[row.as], row.method, row.path(w), row.body?.(w));
      t.is(response.status, row.status, JSON.stringify(response.body));
      if (row.message) t.is(response.body.error.message, row.message);
      if (row.check) t.true(await row.check(api, w, response.body), JSON.stringify(response.body));
    });
  }
}
