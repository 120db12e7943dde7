/** Sends many messages at once through the engine, as the API and the sockets do (so they queue behind the first). */
import { createChatEngine, type AbstractUser } from '../../src/index.js';
import type { Api } from './api.js';

/** One send's outcome: its message, or the error code it was refused with. */
export type SendOutcome = { ok: true; message: any } | { ok: false; code: string | undefined };

/** Starts every send in the same tick and waits for all. */
export function sendAll(chat: Api, sends: { user: AbstractUser; room: string; body: Record<string, unknown> }[]): Promise<SendOutcome[]> {
  const engine = createChatEngine({ orm: chat.orm, settings: chat.settings, notifier: chat.notifier });
  return Promise.all(
    sends.map(({ user, room, body }) =>
      engine.sendMessage(user, { room_id: room, ...body }).then(
        (outcome): SendOutcome => ({ ok: true, message: outcome.result }),
        (error: { code?: string }): SendOutcome => ({ ok: false, code: error.code }),
      ),
    ),
  );
}
