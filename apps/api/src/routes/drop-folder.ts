import { OpenAPIHono } from '@hono/zod-openapi';
import { RocheError } from '@roche/core';
import { z } from 'zod';
import { requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { AUTH_ERRORS, createRoute, err, mount, needs } from '../openapi.js';

const postDropFolderEvents = createRoute({
  method: 'post',
  path: '/v1/drop-folder/events',
  operationId: 'postDropFolderEvents',
  tags: ['admin'],
  summary: 'S3/MinIO event notifications for the drop folders (the bucket notification carries an admin key)',
  security: needs('admin'),
  request: { body: { content: { 'application/json': { schema: z.object({ Records: z.array(z.unknown()) }) } } } },
  responses: {
    200: { description: 'Jobs created', content: { 'application/json': { schema: z.object({ created: z.number().int() }) } } },
    404: err('No drop folders configured'),
    ...AUTH_ERRORS,
  },
});

export function dropFolderRoutes(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  mount(app, postDropFolderEvents, requireScope('admin'), async (c) => {
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
