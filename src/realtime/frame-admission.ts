/**
 * Frame admission: what happens to each frame a client sends before its handler runs. It counts
 * as activity, passes the socket's rate limit, must be JSON text of the protocol's shape, ends a
 * resume hold unless it is the resume, and then waits its turn on the socket (one frame at a
 * time, in order). Nothing a frame holds may throw out of here: every failure ends as an error
 * frame or a close code.
 */
import type { RawData } from 'ws';
import type { ChatLogger } from '../logging/chat-logger.js';
import type { ChatConnection } from './connection.js';
import type { ChatConsumer } from './consumer.js';
import type { ExceptionHandler } from './exception-handler.js';
import { FrameError, parseRequest, WS_CODES, type ClientRequest } from './protocol.js';

/** What admission needs besides the frame. */
export interface FrameAdmissionOptions {
  readonly exceptions: ExceptionHandler;
  /** The frames a second the rate limit allows (named in the 4029 error). */
  readonly perSecond: number;
  /** The client was active. */
  touch(connection: ChatConnection): void;
  /** Where a failure to answer a failed frame is reported. */
  readonly logger: ChatLogger;
}

/** Admits one frame of `connection` and queues it for `consumer`. */
export type FrameAdmission = (connection: ChatConnection, consumer: ChatConsumer, raw: RawData, isBinary: boolean) => void;

/** The admission of every socket of one server. */
export function frameAdmission(options: FrameAdmissionOptions): FrameAdmission {
  const { exceptions, perSecond, touch, logger } = options;

  /** Answers a failed frame with its error frame; when even that fails, the socket (not the process) goes. */
  const answerFailure = (connection: ChatConnection, error: unknown, request?: ClientRequest) => {
    try {
      connection.sendFrame(exceptions.toFrame(error, request));
    } catch (failure) {
      logger.error('answering a failed frame failed', failure);
      connection.close(1011, 'Internal server error');
    }
  };

  return (connection, consumer, raw, isBinary) => {
    let request: ClientRequest | undefined;
    try {
      if (!connection.open) return;
      touch(connection);
      const admission = connection.admit();
      if (admission === 'flood') return connection.close(1008, 'Rate limit exceeded');
      if (admission === 'limited') {
        return connection.sendFrame({ error: { code: WS_CODES.rateLimited, detail: `Rate limit exceeded: at most ${perSecond} frames a second` } });
      }
      if (isBinary) throw new FrameError('Binary frames are not accepted: send JSON text.');
      const parsed = parseRequest(rawText(raw));
      request = parsed;
      if (connection.holding && parsed.eventType !== 'session.resume') connection.release();
      connection.enqueue(async () => {
        if (!connection.open) return;
        try {
          await consumer.receive(parsed);
        } catch (error) {
          answerFailure(connection, error, parsed);
        }
      });
    } catch (error) {
      answerFailure(connection, error, request);
    }
  };
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8');
}
