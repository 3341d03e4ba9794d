import { OpenAPIHono } from '@hono/zod-openapi';
import { RocheError } from '@roche/core';
import { cors } from 'hono/cors';
import { authenticate, rateLimit, type AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { allowedMethods, fail, handleError, refuseContentEncoding, requestTimeout } from './http-errors.js';
import { describeApi, OPENAPI_INFO } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { docsPage } from './routes/docs.js';
import { dropFolderRoutes } from './routes/drop-folder.js';
import { healthRoutes } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { queueBoardRoutes } from './routes/queue-board.js';
import { viewerRoutes } from '@roche/viewer';
import { observe } from './observability.js';
import { jobRoutes } from './routes/jobs.js';
import { webhookRoutes } from './routes/webhooks.js';

export type { ApiDeps };

export function createApp(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  // Request ids, metrics and traces first, so they cover refusals (401, 429) too.
  observe(app as unknown as OpenAPIHono);
  app.onError(handleError);
  app.notFound((c) => {
    const allow = allowedMethods(app.routes, c.req.path);
    // No route, or one that takes this very method (its handler answered 404 itself): not a 405.
    if (!allow.length || allow.includes(c.req.method))
      return fail(c, new RocheError('not_found', `no route for ${c.req.method} ${c.req.path}`));
    c.header('Allow', allow.join(', '));
    return fail(
      c,
      new RocheError('method_not_allowed', `${c.req.path} takes ${allow.join(', ')}, not ${c.req.method}`, { details: { allow } }),
    );
  });

  const { corsOrigins, requestTimeoutMs } = deps.config.http;
  if (corsOrigins.length) app.use('*', cors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins, exposeHeaders: EXPOSED }));
  app.use('/v1/*', requestTimeout(requestTimeoutMs), authenticate(deps), rateLimit(deps), refuseContentEncoding());

  app.route('/', healthRoutes(deps));
  app.route('/', modelRoutes(deps));
  if (deps.queues?.length) app.route('/', queueBoardRoutes(deps, deps.queues));
  // The viewer page is public; what it shows comes from the API with the caller's key.
  app.route('/', viewerRoutes());
  app.route('/', jobRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', dropFolderRoutes(deps));
  app.route('/', adminRoutes(deps));

  describeApi(app);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: OPENAPI_INFO });
  app.get('/docs', docsPage('/openapi.json'));
  return app;
}

const EXPOSED = ['Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Idempotent-Replayed'];
