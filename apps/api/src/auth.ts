import { hasScope, type Principal, type Scope } from '@roche/auth';
import { RocheError } from '@roche/core';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ApiDeps } from './deps.js';

/** Hono variables set by the auth middleware. */
export type AuthEnv = { Variables: { principal: Principal } };

/** Authenticates every request it guards and stores the Principal; 401 without valid credentials. */
export function authenticate(deps: Pick<ApiDeps, 'auth'>): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const principal = await deps.auth.authenticator.authenticate({
      authorization: c.req.header('authorization'),
      apiKey: c.req.header('x-api-key'),
      tenantHeader: c.req.header('x-roche-tenant'),
    });
    c.set('principal', principal);
    await next();
  });
}

/**
 * Guards a route with a scope (`admin` passes every check): 401 when the request carries no
 * principal, 403 when it lacks the scope. Usable on any Hono app mounted behind `authenticate`,
 * e.g. `app.use('/metrics', requireScope('admin'))`.
 */
export function requireScope(scope: Scope): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const p = c.get('principal');
    if (!p) throw new RocheError('unauthorized', 'missing credentials');
    if (!hasScope(p, scope)) throw new RocheError('forbidden', `this key lacks the \`${scope}\` scope`, { details: { scope } });
    await next();
  });
}

/** The caller's tenant: from the key or token when auth is on, never from a header. */
export function tenantOf(c: Context): string {
  const p = c.get('principal') as Principal | undefined;
  if (!p) throw new RocheError('unauthorized', 'missing credentials');
  return p.tenant;
}

/**
 * Per-tenant requests per second, reads and writes on separate budgets so submits cannot starve
 * status polling. Sets `RateLimit-*` headers; over the limit answers 429 with `Retry-After`.
 */
export function rateLimit(deps: Pick<ApiDeps, 'rateLimiter'>): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const limiter = deps.rateLimiter;
    if (!limiter) return next();
    const budget = c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write';
    const d = await limiter.hit(tenantOf(c), budget);
    if (d.limit) {
      c.header('RateLimit-Limit', String(d.limit));
      c.header('RateLimit-Remaining', String(d.remaining));
      c.header('RateLimit-Reset', String(d.resetSeconds));
      c.header('RateLimit-Policy', `${d.limit};w=1`);
    }
    if (!d.allowed)
      throw new RocheError('rate_limited', `more than ${d.limit} ${budget} requests per second for this tenant`, {
        details: { budget, limit: d.limit, retryAfterSeconds: d.resetSeconds },
      });
    await next();
  });
}
