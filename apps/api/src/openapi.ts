import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { ErrorBody } from '@roche/core';
import { WebhookPayload } from '@roche/webhooks';
import type { Env, MiddlewareHandler } from 'hono';
import { z } from 'zod';

export { createRoute };

export const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
export const jobIdParam = z.object({ id: z.string().describe('Job id returned by POST /v1/jobs') });

/** Answers every authenticated route may give, whatever it does. */
export const AUTH_ERRORS = {
  401: err('No, invalid or revoked credentials (`unauthorized`)'),
  403: err('The key lacks the scope this route needs (`forbidden`)'),
  429: err(
    "Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*`",
  ),
  503: err(
    'Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed',
  ),
};

/** The scopes a route needs, as OpenAPI security requirements (either scheme). */
export const needs = (scope: string): Array<Record<string, string[]>> => [{ bearerAuth: [scope] }, { apiKey: [scope] }];

/**
 * Registers a route's OpenAPI description and mounts its handlers at the same method and path,
 * so the document cannot describe a route that does not exist or miss one that does. Bodies are
 * read by the handlers themselves: submit accepts multipart, JSON or raw bytes and must stream
 * uploads rather than have a validator buffer them.
 */
export function mount<E extends Env>(app: OpenAPIHono<E>, route: RouteConfig, ...handlers: MiddlewareHandler<E>[]): void {
  app.openAPIRegistry.registerPath(route);
  const path = route.path.replace(/\{path\}$/, '*').replace(/\{(\w+)\}/g, ':$1');
  app.on(route.method.toUpperCase(), path, ...(handlers as [MiddlewareHandler<E>]));
}

const DESCRIPTION = `Layout analysis of PDFs and images: submit a document, poll or stream its status, fetch the result.

**Authentication.** Send an API key as \`Authorization: Bearer rk_…\` or \`X-API-Key: rk_…\` (or, where configured,
a JWT from the identity provider). A key belongs to one tenant and has scopes: \`jobs:write\`, \`jobs:read\`,
\`webhooks:admin\`, \`admin\` (all of them). The tenant is always the key's; another tenant's job answers 404.
An API listening only on loopback may run without keys (then \`X-Roche-Tenant\` names the tenant).

**Errors.** Every error has the shape \`{"error": {"code", "message", "details"?}}\` with a stable \`code\`.

**Limits.** Requests per second per tenant, with separate budgets for reads and writes (\`RateLimit-Limit\`,
\`RateLimit-Remaining\`, \`RateLimit-Reset\` headers); pages in flight per tenant and in total, documents per
day. Over a limit: 429 with \`Retry-After\`.

**Webhooks.** When a job ends, its webhook and the tenant's endpoints receive the payload described under
*webhooks*, signed per Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`).`;

/** Everything in the document that is not a route: info, security schemes, webhook payloads. */
export function describeApi<E extends Env>(app: OpenAPIHono<E>): void {
  const r = app.openAPIRegistry;
  r.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key `rk_…` (or a JWT where the deployment verifies them)',
  });
  r.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  for (const event of WebhookPayload.shape.type.options) {
    r.registerWebhook({
      method: 'post',
      path: event,
      operationId: `webhook_${event.replace('.', '_')}`,
      summary: `Sent when a job ends ${event.split('.')[1]}`,
      request: { body: { content: { 'application/json': { schema: WebhookPayload } } } },
      responses: { 200: { description: 'Any 2xx acknowledges; 410 disables the endpoint; other answers are retried' } },
    });
  }
}

export const OPENAPI_INFO = { title: 'Roche document layout analysis API', version: '0.2.0', description: DESCRIPTION };
