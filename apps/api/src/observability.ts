import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { httpInstrumentationMiddleware } from '@hono/otel';
import { logger, METRICS_CONTENT_TYPE, metrics, scrape, tracingOn } from '@roche/telemetry';

/**
 * Request ids, request metrics and `/metrics`. Metrics are labelled by the matched route pattern
 * (`/v1/jobs/:id`), never the raw path, so job ids cannot blow up the label set.
 */
export function observe(app: OpenAPIHono): void {
  // A server span per request when tracing is on. Off, the middleware is skipped rather than run
  // against the no-op tracer: it cost 4 % of the API's CPU under submit load (bench/api-load.ts).
  const spans = httpInstrumentationMiddleware({ serviceName: 'roche-api' });
  app.use('*', (c, next) => (tracingOn() ? spans(c, next) : next()));
  app.use('*', async (c, next) => {
    const requestId = /^[\w.-]{1,100}$/.test(c.req.header('x-request-id') ?? '') ? c.req.header('x-request-id')! : randomUUID();
    c.set('requestId' as never, requestId as never);
    c.header('X-Request-Id', requestId);
    const t0 = performance.now();
    await next();
    const route = c.req.routePath && c.req.routePath !== '/*' && c.req.routePath !== '*' ? c.req.routePath : 'unmatched';
    const seconds = (performance.now() - t0) / 1000;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    const line = { requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) };
    // Refused credentials are an operator's audit trail (a leaked or revoked key in use, a probe),
    // so they are logged at the default level; the rest only at debug.
    if (c.res.status === 401 || c.res.status === 403) {
      const p = c.get('principal' as never) as { tenant?: string; subject?: string; via?: string } | undefined;
      logger.info({ ...line, tenant: p?.tenant, subject: p?.subject, via: p?.via }, 'request refused: credentials');
    } else logger.debug(line, 'request');
  });
  app.get('/metrics', async (c) => c.body(await scrape(), 200, { 'content-type': METRICS_CONTENT_TYPE }));
}
