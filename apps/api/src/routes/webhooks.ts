import { RocheError, TERMINAL_STATES } from '@roche/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Delivery, EndpointInput, EndpointView, toEndpointView } from '@roche/webhooks';
import type { Context } from 'hono';
import { z } from 'zod';
import { requireScope, tenantOf, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { readJsonBody } from '../http-errors.js';
import { AUTH_ERRORS, createRoute, err, jobIdParam, mount, needs } from '../openapi.js';
import { checkWebhookUrl } from './jobs.js';

/** Re-enabling (`disabled: false`) is how an endpoint disabled by a 410 comes back. */
const EndpointPatch = EndpointInput.partial().extend({ disabled: z.boolean().optional() }).strict();

const endpointId = z.object({ id: z.string() });
const endpointJson = { 'application/json': { schema: EndpointView } };
const withSecret = {
  'application/json': { schema: EndpointView.extend({ secret: z.string().describe('whsec_… — shown only in this answer') }) },
};
const tags = ['webhooks'];
const admin = needs('webhooks:admin');

const createWebhookEndpoint = createRoute({
  method: 'post',
  path: '/v1/webhooks',
  operationId: 'createWebhookEndpoint',
  tags,
  summary: 'Create a tenant webhook endpoint (receives every job of the tenant)',
  security: admin,
  request: { body: { content: { 'application/json': { schema: EndpointInput } } } },
  responses: { 201: { description: 'Created', content: withSecret }, 400: err('Invalid or internal URL'), ...AUTH_ERRORS },
});
const listWebhookEndpoints = createRoute({
  method: 'get',
  path: '/v1/webhooks',
  operationId: 'listWebhookEndpoints',
  tags,
  summary: "The tenant's endpoints",
  security: admin,
  responses: {
    200: { description: 'List', content: { 'application/json': { schema: z.object({ data: z.array(EndpointView) }) } } },
    ...AUTH_ERRORS,
  },
});
const getWebhookEndpoint = createRoute({
  method: 'get',
  path: '/v1/webhooks/{id}',
  operationId: 'getWebhookEndpoint',
  tags,
  summary: 'One endpoint',
  security: admin,
  request: { params: endpointId },
  responses: { 200: { description: 'Endpoint', content: endpointJson }, 404: err('Unknown endpoint'), ...AUTH_ERRORS },
});
const updateWebhookEndpoint = createRoute({
  method: 'patch',
  path: '/v1/webhooks/{id}',
  operationId: 'updateWebhookEndpoint',
  tags,
  summary: 'Change url, events, description or `disabled`',
  security: admin,
  request: { params: endpointId, body: { content: { 'application/json': { schema: EndpointPatch } } } },
  responses: { 200: { description: 'Endpoint', content: endpointJson }, 404: err('Unknown endpoint'), ...AUTH_ERRORS },
});
const rotateWebhookSecret = createRoute({
  method: 'post',
  path: '/v1/webhooks/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags,
  summary: 'New secret; old ones keep signing during the grace period',
  security: admin,
  request: { params: endpointId },
  responses: { 200: { description: 'Endpoint with its new secret', content: withSecret }, 404: err('Unknown endpoint'), ...AUTH_ERRORS },
});
const deleteWebhookEndpoint = createRoute({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  operationId: 'deleteWebhookEndpoint',
  tags,
  summary: 'Delete an endpoint',
  security: admin,
  request: { params: endpointId },
  responses: { 200: { description: 'Deleted' }, 404: err('Unknown endpoint'), ...AUTH_ERRORS },
});
const listJobWebhookDeliveries = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/webhook/deliveries',
  operationId: 'listJobWebhookDeliveries',
  tags,
  summary: "Every delivery attempt of the job's webhooks",
  security: needs('jobs:read'),
  request: { params: jobIdParam },
  responses: {
    200: { description: 'Log', content: { 'application/json': { schema: z.object({ data: z.array(Delivery) }) } } },
    404: err('Unknown job'),
    ...AUTH_ERRORS,
  },
});
const redeliverJobWebhook = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/webhook/redeliver',
  operationId: 'redeliverJobWebhook',
  tags,
  summary: 'Send the final event again (same webhook-id)',
  security: admin,
  request: { params: jobIdParam },
  responses: { 202: { description: 'Queued' }, 404: err('Unknown job'), 409: err('The job has not ended'), ...AUTH_ERRORS },
});

/** Tenant webhook endpoints (`/v1/webhooks`) and per-job delivery log and redelivery. */
export function webhookRoutes(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const admin = requireScope('webhooks:admin');
  const { endpoints, log, notifier } = deps.webhooks;
  const load = async (c: Context<AuthEnv>) => {
    const e = await endpoints.get(tenantOf(c), c.req.param('id') ?? '');
    if (!e) throw new RocheError('not_found', `webhook endpoint ${c.req.param('id')} not found`);
    return e;
  };

  mount(app, createWebhookEndpoint, admin, async (c) => {
    const input = await readJsonBody(c, EndpointInput);
    await checkWebhookUrl(deps, input.url);
    const { endpoint, secret } = await endpoints.create(tenantOf(c), input);
    // The secret is shown here and never again.
    return c.json({ ...toEndpointView(endpoint), secret }, 201);
  });
  mount(app, listWebhookEndpoints, admin, async (c) => c.json({ data: (await endpoints.list(tenantOf(c))).map(toEndpointView) }));
  mount(app, getWebhookEndpoint, admin, async (c) => c.json(toEndpointView(await load(c))));
  mount(app, updateWebhookEndpoint, admin, async (c) => {
    await load(c);
    const patch = await readJsonBody(c, EndpointPatch);
    if (patch.url) await checkWebhookUrl(deps, patch.url);
    const e = await endpoints.update(tenantOf(c), c.req.param('id') ?? '', patch);
    return c.json(toEndpointView(e!));
  });
  mount(app, rotateWebhookSecret, admin, async (c) => {
    await load(c);
    const r = await endpoints.rotateSecret(tenantOf(c), c.req.param('id') ?? '', deps.webhooks.secretGraceSeconds);
    return c.json({ ...toEndpointView(r!.endpoint), secret: r!.secret });
  });
  mount(app, deleteWebhookEndpoint, admin, async (c) => {
    await load(c);
    await endpoints.delete(tenantOf(c), c.req.param('id') ?? '');
    return c.json({ id: c.req.param('id') ?? '', deleted: true });
  });

  const loadJob = (c: Context<AuthEnv>) => deps.service.get(c.req.param('id') ?? '', tenantOf(c));
  mount(app, listJobWebhookDeliveries, requireScope('jobs:read'), async (c) => c.json({ data: await log.list((await loadJob(c)).id) }));
  mount(app, redeliverJobWebhook, admin, async (c) => {
    const rec = await loadJob(c);
    if (!TERMINAL_STATES.has(rec.state))
      throw new RocheError('conflict', `job ${rec.id} is ${rec.state}; webhooks are sent when it ends`, { details: { state: rec.state } });
    const queued = await notifier.notify(rec, { redelivery: true });
    return c.json({ id: rec.id, queued }, 202);
  });
  return app;
}
