/** The health route: says whether the server runs and its database answers. */
import type { Router } from '@koa/router';
import { lazyRequire } from '../orm/lazy-require.js';

const koaRouter = lazyRequire<typeof import('@koa/router')>('@koa/router');
import type { MikroORM } from '@mikro-orm/core';

/** Body of the health route. */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly database: 'ok' | 'unreachable';
}

/** A router with `GET /health`: 200 when the database answers, 503 when it does not. */
export function healthRouter(orm: MikroORM): Router {
  const router = new (koaRouter().Router)();
  router.get('/health', async ctx => {
    let database: HealthReport['database'] = 'ok';
    try {
      await orm.em.fork().getConnection().execute('select 1');
    } catch {
      database = 'unreachable';
    }
    const report: HealthReport = { status: database === 'ok' ? 'ok' : 'degraded', database };
    ctx.status = database === 'ok' ? 200 : 503;
    ctx.body = report;
  });
  return router;
}
