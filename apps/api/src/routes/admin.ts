import { NewApiKey } from '@roche/auth';
import { Hono } from 'hono';
import { requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { readJsonBody } from '../http-errors.js';

/** API key management (admin scope). A new key is in the creation answer and nowhere else. */
export function adminRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const keys = deps.auth.keys;
  app.use('/v1/admin/*', requireScope('admin'));
  app.post('/v1/admin/keys', async (c) => {
    const input = await readJsonBody(c, NewApiKey, 'key');
    const { key, record } = await keys.create(input);
    return c.json({ ...record, key }, 201);
  });
  app.get('/v1/admin/keys', async (c) => c.json({ data: await keys.list(c.req.query('tenant') || undefined) }));
  app.delete('/v1/admin/keys/:id', async (c) => c.json(await keys.revoke(c.req.param('id'))));
  return app;
}
