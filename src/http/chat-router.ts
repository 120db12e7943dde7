/**
 * `chatRouter`: the REST face of the engine, to mount on any Koa app under any prefix. Each route
 * authenticates, reads its input, calls one engine action and answers its result; the events the
 * action produced go to `publish` (the realtime layer, when there is one).
 */
import type { Router, RouterContext } from '@koa/router';
import { lazyRequire } from '../orm/lazy-require.js';

const koaRouter = lazyRequire<typeof import('@koa/router')>('@koa/router');
import type { MikroORM } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import type { AbstractUser } from '../entities/user.js';
import { NotFound, NotVisible, ValidationFailed } from '../errors/chat-error.js';
import { createChatEngine } from '../engine/chat-engine.js';
import type { EventHandler } from '../engine/event-handler.js';
import type { ActionResult } from '../engine/events.js';
import { isUuid } from '../engine/input.js';
import { checkUntrustedJson } from '../engine/untrusted-json.js';
import type { NotificationProvider } from '../engine/notifications.js';
import type { ChatSettings } from '../settings/types.js';
import type { Authenticate } from './authentication.js';
import { HttpError, jsonErrors } from './http-errors.js';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './json-body.js';
import { PerUserRateLimiter } from '../limits/per-user-rate-limiter.js';
import type { RateLimit } from '../limits/token-bucket.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';
import { holdsJsonText, jsonText } from '../serializers/json-text.js';

/** Options of `chatRouter`. */
export interface ChatRouterOptions {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  /** Finds the user of a request (null: 401). */
  readonly authenticate: Authenticate;
  /** The engine; defaults to the one the settings configure. */
  readonly engine?: EventHandler;
  readonly notifier?: NotificationProvider;
  /** Where unexpected errors (answered 500) and failures after a commit are reported; default the console. */
  readonly logger?: ChatLogger;
  /** Receives every action's events and group changes (the realtime layer delivers them). */
  readonly publish?: (outcome: ActionResult) => void | Promise<void>;
  /** Mount point, e.g. `/api/chat`. */
  readonly prefix?: string;
  /** Largest request body, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /**
   * Requests each user may make (default 100 at once, 20 a second, per router); past it, 429
   * `rate_limited` with `Retry-After`. `null` turns the limit off (behind a gateway that limits).
   */
  readonly rateLimit?: RateLimit | null;
}

/** The default REST rate limit per user. */
export const DEFAULT_REST_RATE_LIMIT: RateLimit = { burst: 100, perSecond: 20 };

type Handler = (input: { user: AbstractUser; body: Record<string, unknown>; params: Record<string, string>; query: Record<string, unknown> }) => Promise<ActionResult>;

/** A router with every chat route, its error handling and `405 Method Not Allowed` included. */
export function chatRouter(options: ChatRouterOptions): Router {
  const engine = options.engine ?? createChatEngine({ orm: options.orm, settings: options.settings, notifier: options.notifier, logger: options.logger });
  const router = new (koaRouter().Router)(options.prefix ? { prefix: options.prefix } : {});
  const limiter = options.rateLimit === null ? undefined : new PerUserRateLimiter(options.rateLimit ?? DEFAULT_REST_RATE_LIMIT);
  const route = (status: (outcome: ActionResult) => number, handler: Handler) => async (ctx: RouterContext) => {
    const user = await options.authenticate(ctx.req);
    if (!user) throw HttpError.unauthenticated();
    if (limiter && !limiter.take(user.id)) {
      ctx.set('Retry-After', String(limiter.retryAfterSeconds()));
      throw new HttpError(429, 'rate_limited', `Too many requests: at most ${limiter.limit.perSecond} a second`);
    }
    for (const [name, value] of Object.entries(ctx.params)) {
      if (name.endsWith('Id') && !isUuid(value)) throw new NotFound(name === 'roomId' ? 'Room' : name === 'messageId' ? 'Message' : 'User', value);
    }
    const raw = ctx.method === 'GET' || ctx.method === 'DELETE' ? undefined : await readJsonBody(ctx, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
      throw ValidationFailed.fromFields({ non_field_errors: ['Invalid data. Expected an object.'] });
    }
    checkUntrustedJson(raw);
    checkUntrustedJson(ctx.query);
    const outcome = await handler({ user, body: objectOr(raw), params: ctx.params, query: ctx.query });
    // Replies (a list, a room's details) are the response itself: only the rest reaches sockets.
    const events = outcome.events.filter(event => !('askerOnly' in event.audience && event.audience.askerOnly));
    if (events.length > 0 || outcome.groups.length > 0) await options.publish?.({ ...outcome, events });
    ctx.status = status(outcome);
    if (outcome.next) ctx.set('X-Next-Cursor', outcome.next);
    const result = outcome.result ?? {};
    // A history page goes out as the text PostgreSQL built (see `withJsonText`).
    if (holdsJsonText(result)) {
      ctx.type = 'json';
      ctx.body = jsonText(result);
    } else {
      ctx.body = result;
    }
  };
  const ok = () => 200;
  const created = (outcome: ActionResult) => (outcome.created === false ? 200 : 201);

  router.get('/rooms', route(ok, ({ user, query }) => engine.listRooms(user, { limit: query.limit, before: query.before })));
  router.post('/rooms', route(created, ({ user, body }) => engine.createRoom(user, body)));
  router.get('/rooms/:roomId', route(ok, ({ user, params }) => engine.roomInfo(user, { room_id: params.roomId })));
  router.patch('/rooms/:roomId', route(ok, ({ user, params, body }) => engine.modifyRoom(user, { room_id: params.roomId, action: 'update', data: body })));
  router.delete('/rooms/:roomId', route(ok, ({ user, params }) => engine.modifyRoom(user, { room_id: params.roomId, action: 'delete' })));
  router.post('/rooms/:roomId/modify', route(ok, ({ user, params, body }) => engine.modifyRoom(user, { ...body, room_id: params.roomId })));
  router.post('/rooms/:roomId/members', route(ok, ({ user, params, body }) => engine.addMembers(user, { ...body, room_id: params.roomId })));
  router.delete('/rooms/:roomId/members/:userId', route(ok, ({ user, params }) => engine.removeMembers(user, { room_id: params.roomId, members: [params.userId] })));
  router.post('/rooms/:roomId/join', route(ok, ({ user, params }) => engine.joinRoom(user, { room_id: params.roomId })));
  router.post('/rooms/:roomId/leave', route(ok, ({ user, params }) => engine.leaveRoom(user, { room_id: params.roomId })));
  router.post('/rooms/:roomId/typing', route(ok, ({ user, params }) => engine.typing(user, { room_id: params.roomId })));
  router.post('/rooms/:roomId/read', route(ok, ({ user, params, body }) => engine.readUpTo(user, { room_id: params.roomId, message_id: body.message_id })));
  router.get('/rooms/:roomId/messages', route(ok, ({ user, params, query }) => engine.messageHistory(user, { room_id: params.roomId, limit: query.limit, before: query.before })));
  router.post(
    '/rooms/:roomId/messages',
    route(created, ({ user, params, body }) => {
      const { content, client_id, extra_fields, ...rest } = body;
      return engine.sendMessage(user, { room_id: params.roomId, content, client_id, extra_fields: { ...rest, ...objectOr(extra_fields) } });
    }),
  );
  router.patch('/messages/:messageId', route(ok, ({ user, params, body }) => engine.modifyMessage(user, { action: 'update', message_id: params.messageId, extra_fields: body })));
  router.delete('/messages/:messageId', route(ok, ({ user, params }) => engine.modifyMessage(user, { action: 'delete', message_id: params.messageId })));
  router.post('/messages/delete', route(ok, ({ user, body }) => engine.modifyMessage(user, { action: 'delete', message_id: body.message_ids ?? body.message_id })));
  router.post('/messages/read', route(ok, ({ user, body }) => engine.readMessages(user, { message_id: body.message_ids ?? body.message_id })));
  router.post('/messages/delivered', route(ok, ({ user, body }) => engine.acknowledgeMessages(user, { message_id: body.message_ids ?? body.message_id })));
  router.post(
    '/messages/:messageId/forward',
    route(created, async ({ user, params, body }) => {
      try {
        return await engine.sendMessage(user, { room_id: body.room_id, content: body.content, client_id: body.client_id, extra_fields: { forwarded_from_id: params.messageId } });
      } catch (error) {
        // The target room is named in the body: an unknown one is bad input, not a missing resource.
        const named = error instanceof NotVisible ? error.id : error instanceof NotFound ? error.details?.id : undefined;
        if (named !== undefined && named === body.room_id) {
          throw ValidationFailed.fromFields({ room_id: [`Invalid pk "${String(body.room_id)}" - object does not exist.`] });
        }
        throw error;
      }
    }),
  );
  router.post('/messages/:messageId/reactions', route(ok, ({ user, params, body }) => engine.reactToMessage(user, { type: 'add', message_id: params.messageId, reaction_content: body.reaction_content })));
  router.delete('/messages/:messageId/reactions', route(ok, ({ user, params }) => engine.reactToMessage(user, { type: 'remove', message_id: params.messageId })));
  router.get('/notifications', route(ok, ({ user }) => engine.pendingNotifications(user)));
  return router;
}

/**
 * The chat API as one Koa middleware: the routes of `chatRouter`, JSON errors, `405` for a wrong
 * method and a JSON `404` for an unknown path, all scoped to `prefix` (other paths pass through).
 */
export function chatApi(options: ChatRouterOptions): Middleware {
  const router = chatRouter(options);
  const prefix = options.prefix ?? '';
  const logger = options.logger ?? consoleLogger;
  const routes = router.routes();
  const methods = router.allowedMethods({
    throw: true,
    methodNotAllowed: () => new HttpError(405, 'method_not_allowed', 'This method is not allowed on this path'),
    notImplemented: () => new HttpError(501, 'not_implemented', 'This method is not implemented'),
  });
  return async (ctx, next) => {
    if (prefix && ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    // Under a prefix the API owns the path space; without one, unmatched requests go on to the app.
    const after = prefix ? async () => {} : next;
    await jsonErrors(ctx, logger, async () => {
      // The router's types want the `params` and `router` it sets on the context itself, as it runs.
      await routes(ctx as Parameters<typeof routes>[0], async () => {
        await methods(ctx as Parameters<typeof methods>[0], after);
      });
    });
  };
}

function objectOr(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
