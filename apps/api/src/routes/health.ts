import { OpenAPIHono } from '@hono/zod-openapi';
import { assertReady, type RocheError } from '@roche/core';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { fail } from '../http-errors.js';
import { createRoute, err, mount } from '../openapi.js';

const ok = { 'application/json': { schema: z.object({ ok: z.literal(true) }) } };
const getHealth = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['operations'],
  summary: 'Liveness (no authentication)',
  responses: { 200: { description: 'Process is up', content: ok } },
});
const getReadiness = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['operations'],
  summary:
    'Readiness: Redis, the object store and every model (its engine, or its model on the inference server) answer (no authentication)',
  responses: { 200: { description: 'Ready', content: ok }, 503: err('A dependency is down') },
});

/** Liveness and readiness; unauthenticated so orchestrators can probe them. */
export function healthRoutes(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  mount(app, getHealth, async (c) => c.json({ ok: true }));
  mount(app, getReadiness, async (c) => {
    try {
      await assertReady({ redis: deps.pingRedis, store: () => deps.store.ping(), engine: deps.engineReady });
    } catch (e) {
      return fail(c, e as RocheError);
    }
    return c.json({ ok: true });
  });
  return app;
}
