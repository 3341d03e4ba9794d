import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';

/** `GET /v1/models`: the models a job can pick with `options.model`, the default first. */
export function modelRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/v1/models', (c) => c.json({ data: deps.models?.list() ?? [] }));
  return app;
}
