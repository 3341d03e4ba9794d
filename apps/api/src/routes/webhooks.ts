import { RocheError, TERMINAL_STATES } from '@roche/core';
import { EndpointInput, toEndpointView } from '@roche/webhooks';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { requireScope, tenantOf, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { readJsonBody } from '../http-errors.js';
import { checkWebhookUrl } from './jobs.js';

/** Re-enabling (`disabled: false`) is how an endpoint disabled by a 410 comes back. */
const EndpointPatch = EndpointInput.partial().extend({ disabled: z.boolean().optional() }).strict();

/** Tenant webhook endpoints (`/v1/webhooks`) and per-job delivery log and redelivery. */
export function webhookRoutes(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('/v1/webhooks', requireScope('webhooks:admin'));
  app.use('/v1/webhooks/*', requireScope('webhooks:admin'));
  const { endpoints, log, notifier } = deps.webhooks;
  const load = async (c: Context<AuthEnv>) => {
    const e = await endpoints.get(tenantOf(c), c.req.param('id') ?? '');
    if (!e) throw new RocheError('not_found', `webhook endpoint ${c.req.param('id')} not found`);
    return e;
  };

  app.post('/v1/webhooks', async (c) => {
    const input = await readJsonBody(c, EndpointInput);
    await checkWebhookUrl(deps, input.url);
    const { endpoint, secret } = await endpoints.create(tenantOf(c), input);
    // The secret is shown here and never again.
    return c.json({ ...toEndpointView(endpoint), secret }, 201);
  });
  app.get('/v1/webhooks', async (c) => c.json({ data: (await endpoints.list(tenantOf(c))).map(toEndpointView) }));
  app.get('/v1/webhooks/:id', async (c) => c.json(toEndpointView(await load(c))));
  app.patch('/v1/webhooks/:id', async (c) => {
    await load(c);
    const patch = await readJsonBody(c, EndpointPatch);
    if (patch.url) await checkWebhookUrl(deps, patch.url);
    const e = await endpoints.update(tenantOf(c), c.req.param('id'), patch);
    return c.json(toEndpointView(e!));
  });
  app.post('/v1/webhooks/:id/rotate-secret', async (c) => {
    await load(c);
    const r = await endpoints.rotateSecret(tenantOf(c), c.req.param('id'), deps.webhooks.secretGraceSeconds);
    return c.json({ ...toEndpointView(r!.endpoint), secret: r!.secret });
  });
  app.delete('/v1/webhooks/:id', async (c) => {
    await load(c);
    await endpoints.delete(tenantOf(c), c.req.param('id'));
    return c.json({ id: c.req.param('id'), deleted: true });
  });

  const loadJob = (c: Context<AuthEnv>) => deps.service.get(c.req.param('id') ?? '', tenantOf(c));
  app.get('/v1/jobs/:id/webhook/deliveries', requireScope('jobs:read'), async (c) =>
    c.json({ data: await log.list((await loadJob(c)).id) }),
  );
  app.post('/v1/jobs/:id/webhook/redeliver', requireScope('webhooks:admin'), async (c) => {
    const rec = await loadJob(c);
    if (!TERMINAL_STATES.has(rec.state))
      throw new RocheError('conflict', `job ${rec.id} is ${rec.state}; webhooks are sent when it ends`, { details: { state: rec.state } });
    const queued = await notifier.notify(rec, { redelivery: true });
    return c.json({ id: rec.id, queued }, 202);
  });
  return app;
}
