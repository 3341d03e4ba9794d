import { OpenAPIHono } from '@hono/zod-openapi';
import { RocheError, toRocheError } from '@roche/core';
import { logger } from '@roche/telemetry';
import { HTTPException } from 'hono/http-exception';
import type { ApiDeps } from './deps.js';
import { fail } from './http-errors.js';
import { observe } from './observability.js';
import { registerOpenApi } from './openapi.js';
import { jobRoutes } from './routes/jobs.js';
import { modelRoutes } from './routes/models.js';
import { webhookRoutes } from './routes/webhooks.js';

export type { ApiDeps };

export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  observe(app);

  app.onError((e, c) => {
    if (e instanceof HTTPException) {
      const code = e.status === 413 ? 'payload_too_large' : e.status === 404 ? 'not_found' : 'bad_request';
      return fail(c, new RocheError(code, e.message || `HTTP ${e.status}`, { status: e.status }));
    }
    const re = toRocheError(e);
    const where = { requestId: c.get('requestId' as never), method: c.req.method, route: c.req.routePath, code: re.code };
    if (re.code === 'internal') logger.error({ ...where, err: e }, re.message);
    else if (re.status >= 500) logger.warn(where, re.message);
    return fail(c, re);
  });
  app.notFound((c) => fail(c, new RocheError('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.allSettled([deps.pingRedis(), deps.store.ping(), deps.engineReady?.()]);
    const [redis, store, engine] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error)?.message ?? r.reason)));
    if (redis !== 'ok') return fail(c, new RocheError('queue_unavailable', `redis: ${redis}`));
    if (store !== 'ok') return fail(c, new RocheError('storage_unavailable', `object store: ${store}`));
    if (engine !== 'ok') return fail(c, new RocheError('inference_unavailable', `engine: ${engine}`));
    return c.json({ ok: true });
  });

  app.post('/v1/drop-folder/events', async (c) => {
    if (!deps.dropEvents) throw new RocheError('not_found', 'no drop folders are configured');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new RocheError('bad_request', 'body is not valid JSON');
    }
    return c.json({ created: await deps.dropEvents(body) });
  });

  app.route('/', jobRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', modelRoutes(deps));

  registerOpenApi(app);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Roche document layout analysis API', version: '0.1.0' } });
  return app;
}
