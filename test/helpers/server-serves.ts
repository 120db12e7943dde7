/** Checks that a chat server still serves: a fresh user sends a message over a new socket and gets it back. */
import type { ExecutionContext } from 'ava';
import type { ChatServer } from './chat-server.js';
import { group } from './rooms.js';

export async function serverServes(t: ExecutionContext, server: ChatServer): Promise<void> {
  const [someone] = await server.users('someone');
  const room = await group(server, someone!, []);
  const socket = await server.connect(someone!);
  const sent = await socket.request('message.send', { room_id: room, content: 'still here' });
  t.is(sent.data.content, 'still here');
  await socket.close();
}
