import { RocheError } from '@roche/core';
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';
import { fail } from '../http-errors.js';

/** Liveness and readiness; unauthenticated so orchestrators can probe them. */
export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.allSettled([deps.pingRedis(), deps.store.ping()]);
    const [redis, store] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error)?.message ?? r.reason)));
    if (redis !== 'ok') return fail(c, new RocheError('queue_unavailable', `redis: ${redis}`));
    if (store !== 'ok') return fail(c, new RocheError('storage_unavailable', `object store: ${store}`));
    return c.json({ ok: true });
  });
  return app;
}
