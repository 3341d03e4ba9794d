import { RocheError } from '@roche/core';
import { Hono } from 'hono';
import { requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';

/** S3/MinIO event notifications for the drop folders (the bucket's webhook holds an admin key). */
export function dropFolderRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post('/v1/drop-folder/events', requireScope('admin'), async (c) => {
    if (!deps.dropEvents) throw new RocheError('not_found', 'no drop folders are configured');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new RocheError('bad_request', 'body is not valid JSON');
    }
    return c.json({ created: await deps.dropEvents(body) });
  });
  return app;
}
