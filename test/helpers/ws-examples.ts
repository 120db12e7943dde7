/**
 * The WebSocket protocol reference's examples (docs/websocket.md), taken from a live server: each
 * event type is sent for real and the frames that come back are written down, ids and times
 * replaced by stable names. `npm run docs` rewrites the file; a test checks it is current.
 */
import { chatDatabase, startChatServer } from './chat-server.js';
import { defineChatSettings, model, type AbstractUser } from '../../src/index.js';
import type { TestSocket } from './ws-client.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

/** One section: what the client sends, and the frames that answer, each with who receives it. */
interface Example {
  readonly title: string;
  readonly text: string;
  readonly sent?: unknown;
  readonly received: readonly { readonly who: string; readonly frame: unknown }[];
}

export async function websocketExamples(): Promise<string> {
  const settings = defineChatSettings();
  const { orm, database } = await chatDatabase(settings);
  const chat = await startChatServer(orm, settings);
  try {
    const em = orm.em.fork();
    // Fixed user ids, so that what is ordered by user id (a pair key, a member list) reads the same every time.
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(
      (username, i) => em.create(model('User'), { id: `00000000-0000-4000-8000-00000000000${i + 1}`, username } as never) as AbstractUser,
    );
    await em.flush();
    const names = new Map<string, string>([
      [alice!.id, 'alice-id'],
      [bob!.id, 'bob-id'],
      [carol!.id, 'carol-id'],
    ]);
    const examples: Example[] = [];
    /** Sends `frame` and records the first answer: the frame with its `id`, else the first `expect` event (or error). */
    const ask = async (socket: TestSocket, who: string, title: string, text: string, frame: Record<string, unknown>, also: [TestSocket, string, string][] = [], expect?: string) => {
      socket.send(frame);
      const reply = await socket.until(f => (frame.id !== undefined ? f.id === frame.id : expect ? f.eventType === expect || 'error' in f || 'status' in f : true));
      const received = [{ who, frame: reply }];
      for (const [other, otherWho, eventType] of also) received.push({ who: otherWho, frame: await other.event(eventType) });
      examples.push({ title, text, sent: frame, received });
      return reply;
    };

    const a = await chat.connect(alice!, { first: false });
    const first = await a.next();
    examples.push({ title: 'On connect: `chat.notifications`', text: 'The first frame of every socket (when notifications are on): the pending notifications, grouped by room id. Nothing pending:', received: [{ who: 'alice', frame: first }] });
    const direct = await ask(a, 'alice (and bob)', '`room.create`: a one-to-one chat', 'Gets or creates the chat with one other user.', { event_type: 'room.create', data: { type: 'OneToOneChat', participants: [bob!.id] } }, [], 'roomcreate.dispatch');
    names.set(direct.data.id, 'direct-room-id');
    const team = await ask(a, 'every member', '`room.create`: a group', 'The creator becomes a participant and admin.', {
      event_type: 'room.create',
      data: { type: 'GroupChat', name: 'Team', description: 'Our team', participants: [bob!.id], extra_fields: { property: { preferences: { theme: 'dark' } } } },
    }, [], 'roomcreate.dispatch');
    names.set(team.data.id, 'team-room-id');
    const news = await ask(a, 'every subscriber', '`room.create`: a channel', 'Subscribers read; the creator and moderators write.', {
      event_type: 'room.create',
      data: { type: 'Channel', name: 'News', subscribers: [], extra_fields: { is_public: true } },
    }, [], 'roomcreate.dispatch');
    names.set(news.data.id, 'news-room-id');
    const hello = await ask(a, 'every member', '`message.send`', 'Content is sanitised (allowed tags kept, the rest stripped); the `id` of the request comes back on the asker\'s frame.', {
      event_type: 'message.send',
      data: { room_id: team.data.id, content: 'Hello <b>team</b><script>alert(1)</script>' },
      id: 1,
    });
    const b = await chat.connect(bob!, { first: false });
    examples.push({ title: 'On connect, with something pending', text: 'Bob connects after Alice wrote to the team:', received: [{ who: 'bob', frame: await b.next() }] });
    await ask(b, 'bob', '`message.acknowledged`', 'Delivery to this device: the sender hears who has it. Bob sent an `id`, and nothing else answers him, so he gets an `ack`.', { event_type: 'message.acknowledged', data: { message_id: hello.data.id }, id: 2 }, [[a, 'alice (the sender)', 'messagedelivered.dispatch']]);
    await ask(b, 'every member', '`message.read`', 'One id gives the message; a list gives one frame per room, each with the list of that room\'s messages.', { event_type: 'message.read', data: { message_id: hello.data.id } }, [], 'readreceipt.dispatch');
    await a.event('readreceipt.dispatch');
    await ask(b, 'every member', '`message.react`', 'A user has one reaction per message: a new one replaces the old.', { event_type: 'message.react', data: { type: 'add', message_id: hello.data.id, reaction_content: '👍' } }, [], 'reaction.dispatch');
    await a.event('reaction.dispatch');
    b.send({ event_type: 'message.typing', data: { room_id: team.data.id } });
    examples.push({ title: '`message.typing`', text: 'To the others in the room; not numbered, not logged.', sent: { event_type: 'message.typing', data: { room_id: team.data.id } }, received: [{ who: 'alice', frame: await a.event('messagetyping.dispatch') }] });
    const reply = await ask(b, 'every member', '`message.send`: a reply', '`extra_fields.parent_message_id` (or `forwarded_from_id` to forward; `media` for attachments, whose message reads "Media Files").', {
      event_type: 'message.send',
      data: { room_id: team.data.id, content: 'Hi!', extra_fields: { parent_message_id: hello.data.id } },
    }, [], 'message.dispatch');
    await a.event('message.dispatch');
    await ask(a, 'every member', '`message.modify`: edit', 'The sender edits the content of one message.', { event_type: 'message.modify', data: { action: 'update', message_id: hello.data.id, extra_fields: { content: 'Hello <i>everyone</i>' } } }, [], 'messagemodification.dispatch');
    await b.event('messagemodification.dispatch');
    await ask(b, 'every member', '`message.modify`: delete', 'Messages of one room (hard or soft delete, by the `messageSoftDelete` setting).', { event_type: 'message.modify', data: { action: 'delete', message_id: [reply.data.id] } }, [], 'messagemodification.dispatch');
    await a.event('messagemodification.dispatch');
    await ask(a, 'alice only', '`room.list`', 'My rooms, the most recent activity first.', { event_type: 'room.list', data: {} }, [], 'roomlist.dispatch');
    await ask(a, 'alice only', '`room.info`', '', { event_type: 'room.info', data: { room_id: team.data.id } }, [], 'roominfo.dispatch');
    await ask(a, 'alice only', '`room.messages`', 'Page by number (`paginate` is optional: without it, every message).', { event_type: 'room.messages', data: { room_id: team.data.id, paginate: { page: 1, size: 2 } } }, [], 'roommessages.dispatch');
    await ask(a, 'alice only', '`room.history`', 'Ours: pages by cursor (`before`: the previous `next_cursor`), stable while others write.', { event_type: 'room.history', data: { room_id: team.data.id, limit: 1 } }, [], 'roomhistory.dispatch');
    const c = await chat.connect(carol!);
    await ask(a, 'every member, the new one included', '`room.add_members`', '', { event_type: 'room.add_members', data: { room_id: team.data.id, members: [carol!.id] } }, [], 'roomaddmembers.dispatch');
    await b.event('roomaddmembers.dispatch');
    await c.event('roomaddmembers.dispatch');
    await ask(a, 'the members left', '`room.remove_members`', 'The removed members hear `roomexit.dispatch` instead.', { event_type: 'room.remove_members', data: { room_id: team.data.id, members: [carol!.id] } }, [[c, 'carol (removed)', 'roomexit.dispatch']], 'roomremovemembers.dispatch');
    await b.event('roomremovemembers.dispatch');
    await ask(b, 'every subscriber', '`room.join`', 'A public channel.', { event_type: 'room.join', data: { room_id: news.data.id } }, [], 'roomaddmembers.dispatch');
    await a.event('roomaddmembers.dispatch');
    await ask(b, 'bob', '`room.leave`', 'The others hear `roomremovemembers.dispatch` with `"removed_by": "self"`; the last member leaving deletes the room (`roomdelete.dispatch`).', { event_type: 'room.leave', data: { room_id: news.data.id } }, [[a, 'alice', 'roomremovemembers.dispatch']], 'roomexit.dispatch');
    await ask(a, 'every member', '`room.modify`: update', 'Also `add_admin`, `remove_admin`, `add_moderator`, `remove_moderator` (`data: { users }`), `add_permission`, `remove_permission` (`data: { users, permission }`).', {
      event_type: 'room.modify',
      data: { room_id: team.data.id, action: 'update', data: { name: 'Core team', group_locked: true } },
    });
    await b.event('roomupdate.dispatch');
    await ask(a, 'every former member', '`room.modify`: delete', 'The creator deletes a group or channel.', { event_type: 'room.modify', data: { room_id: news.data.id, action: 'delete' } });
    await ask(a, 'alice only', '`session.heartbeat`', 'Keeps the session active; so does any other frame, and the pong every client sends back to the server\'s pings.', { event_type: 'session.heartbeat', data: {} });
    // Carol and Bob share a room from here on (their one-to-one chat), so Bob hears her presence.
    const pair = await c.request('room.create', { type: 'OneToOneChat', participants: [bob!.id] }, 'setup');
    names.set(pair.data.id, 'carol-bob-room-id');
    const watcher = await chat.connect(bob!, { presence: true });
    await c.close();
    // Carol is offline once her last socket is gone; then she comes back.
    await watcher.until(f => f.eventType === 'presence.dispatch' && f.data.status === 'offline');
    const again = await chat.connect(carol!);
    examples.push({ title: '`presence.dispatch`', text: 'Ours, for sockets opened with `?presence=1`: a user sharing a room came online (first device) or went offline (last device).', received: [{ who: 'bob', frame: await watcher.until(f => f.eventType === 'presence.dispatch' && f.data.status === 'online') }] });
    await ask(watcher, 'bob only', '`presence.query`', 'Ours: who of a room\'s members is online.', { event_type: 'presence.query', data: { room_id: direct.data.id } }, [], 'presencestate.dispatch');
    await again.close();
    const teamSeq = Math.max(...a.frames.filter(f => f.room_id === team.data.id && f.seq).map(f => f.seq));
    const resumed = await chat.connect(alice!, { resume: true });
    const resume = { event_type: 'session.resume', data: { rooms: { [direct.data.id]: 1, [team.data.id]: teamSeq - 1 } }, id: 'resume' };
    resumed.send(resume);
    await resumed.until(f => f.id === 'resume');
    examples.push({
      title: '`session.resume`',
      text: `Ours. Connect with \`?resume=1\`, then give the last \`seq\` you have of each room: what you missed comes first, in order (here the team room's event ${teamSeq}; nothing new in the direct room), then this summary, then live events.`,
      sent: resume,
      received: resumed.frames.slice(1).map(frame => ({ who: 'alice only', frame })),
    });
    await ask(a, 'alice only', 'Errors', 'An error frame leaves the socket open; `detail` is a message, a list of messages or field errors.', { event_type: 'message.send', data: { room_id: direct.data.id }, id: 3 });
    await ask(a, 'alice only', 'Errors: an unknown event type', '', { event_type: 'message.explode', data: {} });
    await ask(c.open ? c : a, 'alice only', 'Errors: not found', '', { event_type: 'room.info', data: { room_id: '00000000-0000-4000-8000-000000000000' } }, [], 'roominfo.dispatch');
    return render(examples, names);
  } finally {
    await chat.stop();
    await orm.close(true);
    await database.drop();
  }
}

function render(examples: readonly Example[], names: Map<string, string>): string {
  let n = 0;
  const alias = (id: string) => {
    if (!names.has(id)) names.set(id, `id-${++n}`);
    return names.get(id)!;
  };
  // Objects keyed by ids (rooms of a resume, notifications by room) list their keys by stable name.
  const keyedByIds = (_key: string, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 0 || !keys.every(k => new RegExp(`^${UUID.source}$`).test(k))) return value;
    return Object.fromEntries(keys.sort((x, y) => alias(x).localeCompare(alias(y))).map(k => [k, (value as Record<string, unknown>)[k]]));
  };
  const json = (value: unknown) => {
    const text = JSON.stringify(value, keyedByIds, 2)
      .replace(UUID, alias)
      .replace(TIME, '2026-01-01T12:00:00.000Z')
      .replace(/"next_cursor": "[^"]+"/g, '"next_cursor": "<cursor>"');
    return `\`\`\`json\n${text}\n\`\`\``;
  };
  const out = [
    '# WebSocket protocol: an example of every event',
    '',
    'Taken from a live server by `npm run docs` (ids and times replaced by stable names; a test checks',
    'this file is what the server sends). See the README for the frame format, codes and guarantees.',
    '',
  ];
  for (const example of examples) {
    out.push(`## ${example.title}`, '');
    if (example.text) out.push(example.text, '');
    if (example.sent !== undefined) out.push('Sent:', '', json(example.sent), '');
    for (const { who, frame } of example.received) out.push(`Received by ${who}:`, '', json(frame), '');
  }
  return out.join('\n');
}
