import { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKeyView, NewApiKey } from '@roche/auth';
import { logger } from '@roche/telemetry';
import { z } from 'zod';
import { requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { readJsonBody } from '../http-errors.js';
import { AUTH_ERRORS, createRoute, err, mount, needs } from '../openapi.js';

const tags = ['admin'];
const security = needs('admin');

const createApiKey = createRoute({
  method: 'post',
  path: '/v1/admin/keys',
  operationId: 'createApiKey',
  tags,
  summary: 'Create an API key for a tenant; the key is in this answer and nowhere else (only its hash is stored)',
  security,
  request: { body: { content: { 'application/json': { schema: NewApiKey } } } },
  responses: {
    201: {
      description: 'Created',
      content: { 'application/json': { schema: ApiKeyView.extend({ key: z.string().describe('rk_… — shown once') }) } },
    },
    400: err('Invalid tenant or scopes'),
    ...AUTH_ERRORS,
  },
});
const listApiKeys = createRoute({
  method: 'get',
  path: '/v1/admin/keys',
  operationId: 'listApiKeys',
  tags,
  summary: 'API keys (never their secrets), optionally of one tenant',
  security,
  request: { query: z.object({ tenant: z.string().optional() }) },
  responses: {
    200: { description: 'Keys', content: { 'application/json': { schema: z.object({ data: z.array(ApiKeyView) }) } } },
    ...AUTH_ERRORS,
  },
});
const revokeApiKey = createRoute({
  method: 'delete',
  path: '/v1/admin/keys/{id}',
  operationId: 'revokeApiKey',
  tags,
  summary: 'Revoke a key at once (it stays listed with `revokedAt`)',
  security,
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: ApiKeyView } } },
    404: err('Unknown key'),
    ...AUTH_ERRORS,
  },
});

/** API key management (admin scope). */
export function adminRoutes(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const keys = deps.auth.keys;
  const admin = requireScope('admin');
  mount(app, createApiKey, admin, async (c) => {
    const input = await readJsonBody(c, NewApiKey, 'key');
    const { key, record } = await keys.create(input);
    logger.info({ keyId: record.id, tenant: record.tenant, scopes: record.scopes, by: c.get('principal').subject }, 'api key created');
    return c.json({ ...record, key }, 201);
  });
  mount(app, listApiKeys, admin, async (c) => c.json({ data: await keys.list(c.req.query('tenant') || undefined) }));
  mount(app, revokeApiKey, admin, async (c) => {
    const revoked = await keys.revoke(c.req.param('id') ?? '');
    logger.info({ keyId: revoked.id, tenant: revoked.tenant, by: c.get('principal').subject }, 'api key revoked');
    return c.json(revoked);
  });
  return app;
}
