import { logger } from '@roche/telemetry';
import { RocheError, toRocheError } from '@roche/core';
import { isRedisUnavailable } from '@roche/queue';
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import type { z } from 'zod';

export const fail = (c: Context, e: RocheError) => {
  const retryAfter = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (e.status === 429 || e.status === 503) c.header('Retry-After', String(retryAfter ?? (e.status === 503 ? 5 : 1)));
  // RFC 9110: a 401 names the scheme it wants (API keys and JWTs both come as bearer tokens).
  if (e.status === 401) c.header('WWW-Authenticate', 'Bearer realm="roche"');
  return c.json(e.toBody(), e.status as 400);
};

/** Every error as the one JSON error shape; Redis outages are 503 `queue_unavailable`, never a raw client message. */
export const handleError: ErrorHandler = (e, c) => {
  if (e instanceof HTTPException) {
    const code = e.status === 413 ? 'payload_too_large' : e.status === 404 ? 'not_found' : 'bad_request';
    return fail(c, new RocheError(code, e.message || `HTTP ${e.status}`, { status: e.status }));
  }
  // Node's error for a request body cut off by the client ('aborted', ECONNRESET) is the client's
  // doing, not a Redis outage (it was logged as one, a false alarm); nobody reads the answer.
  if (isClientAbort(e)) {
    logger.info({ method: c.req.method, route: c.req.routePath }, 'client closed the connection mid-request');
    return fail(c, new RocheError('bad_request', 'the client closed the connection before the request was complete'));
  }
  if (!(e instanceof RocheError) && isRedisUnavailable(e)) {
    logger.warn({ method: c.req.method, route: c.req.routePath, err: e.message }, 'redis unavailable');
    return fail(c, new RocheError('queue_unavailable', 'the job database is unavailable; try again shortly'));
  }
  const re = toRocheError(e);
  const where = { requestId: c.get('requestId' as never), method: c.req.method, route: c.req.routePath, code: re.code };
  if (re.code === 'internal') logger.error({ ...where, err: e }, re.message);
  else if (re.status >= 500) logger.warn(where, re.message);
  return fail(c, re);
};

export const isClientAbort = (e: unknown) =>
  e instanceof Error && !(e instanceof RocheError) && e.message === 'aborted' && (e as NodeJS.ErrnoException).code === 'ECONNRESET';

/** Ends requests that take longer than `ms` (slow uploads included); event streams are exempt. */
export function requestTimeout(ms: number): MiddlewareHandler {
  const t = timeout(ms, () => new HTTPException(408, { message: `the request took longer than ${ms} ms` }));
  return (c, next) => (c.req.path.endsWith('/events') ? next() : t(c, next));
}

/**
 * Request bodies are taken as sent: a compressed body (`Content-Encoding: gzip`) would be sniffed,
 * counted and stored compressed. Refused with the reason instead of a bare 415 from deeper down.
 */
export function refuseContentEncoding(): MiddlewareHandler {
  return async (c, next) => {
    const enc = c.req.header('content-encoding')?.trim().toLowerCase();
    if (enc && enc !== 'identity')
      throw new RocheError('unsupported_media_type', `Content-Encoding ${enc} is not accepted: send the body uncompressed`, {
        details: { contentEncoding: enc },
      });
    await next();
  };
}

/**
 * The methods a path takes, from the app's registered routes (middleware excluded), so a known path
 * called with another method is a 405 with `Allow` rather than a 404.
 */
export function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>, path: string): string[] {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.method === 'ALL' || !routePattern(r.path).test(path)) continue;
    out.add(r.method);
    if (r.method === 'GET') out.add('HEAD');
  }
  return [...out].sort();
}

const patterns = new Map<string, RegExp>();
function routePattern(path: string): RegExp {
  let re = patterns.get(path);
  if (!re) {
    const body = path
      .split('/')
      .map((seg) => {
        if (seg === '*') return '.*';
        const m = /^:\w+(?:\{(.+)\})?(\?)?$/.exec(seg);
        if (m) return m[1] ? `(?:${m[1]})` : '[^/]+';
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    re = new RegExp(`^${body}$`);
    patterns.set(path, re);
  }
  return re;
}

/** Deepest nesting a JSON value in a request may have: deeper values are refused before anything recurses into them. */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a parsed JSON value, measured without recursion (so a hostile value cannot overflow the stack). */
export function jsonDepth(v: unknown, stopAt = MAX_JSON_DEPTH + 1): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max >= stopAt) return max;
    for (const child of Array.isArray(x) ? x : Object.values(x)) stack.push([child, depth]);
  }
  return max;
}

function checkDepth(name: string, v: unknown): void {
  if (jsonDepth(v) > MAX_JSON_DEPTH)
    throw new RocheError('validation_failed', `\`${name}\` is nested more than ${MAX_JSON_DEPTH} levels deep`, {
      details: { maxDepth: MAX_JSON_DEPTH },
    });
}

function parseJson(text: string, what: string): unknown {
  try {
    // Only text that could spell `__proto__` (plainly or with \u escapes) pays for the reviver.
    return text.includes('__proto__') || text.includes('\\u') ? JSON.parse(text, refuseProtoKeys(what)) : JSON.parse(text);
  } catch (e) {
    if (e instanceof RocheError) throw e;
    if (e instanceof RangeError) throw new RocheError('validation_failed', `${what} is nested too deeply`);
    throw new RocheError(what === 'body' ? 'bad_request' : 'validation_failed', `${what} is not valid JSON`);
  }
}

/**
 * A `__proto__` key parses as an own property, but zod and plain assignment treat it as the prototype:
 * `{"layoutThreshold": {"__proto__": 0.1}}` was accepted and stored as `{}`. Such a key is refused.
 */
function refuseProtoKeys(what: string) {
  return (key: string, value: unknown) => {
    if (key === '__proto__') throw new RocheError('validation_failed', `${what}: a key named "__proto__" is not accepted`);
    return value;
  };
}

/** Parses an optional JSON-object field that may arrive as a string (multipart) or an object (JSON). */
export function parseJsonObject(name: string, raw: unknown, maxBytes = 16_384): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  // Bytes, not characters: 6,000 '€' are 18 KB.
  if (typeof raw === 'string' && Buffer.byteLength(raw) > maxBytes)
    throw new RocheError('validation_failed', `\`${name}\` is limited to ${maxBytes} bytes of JSON`);
  const v = typeof raw === 'string' ? parseJson(raw, `\`${name}\``) : raw;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RocheError('validation_failed', `\`${name}\` must be a JSON object`);
  checkDepth(name, v);
  if (Buffer.byteLength(JSON.stringify(v)) > maxBytes)
    throw new RocheError('validation_failed', `\`${name}\` is limited to ${maxBytes} bytes of JSON`);
  return v as Record<string, unknown>;
}

/** JSON request bodies (submit by source, keys, webhooks) are small: metadata alone is capped at 16 KiB. */
export const JSON_BODY_MAX_BYTES = 64 * 1024;

/** The body as text, refused with 413 once it passes the cap, however it is sent (chunked bodies declare no length). */
async function cappedText(c: Context, max = JSON_BODY_MAX_BYTES): Promise<string> {
  const body = c.req.raw.body;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw new RocheError('payload_too_large', `a JSON body is limited to ${max} bytes`, { details: { maxBytes: max } });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON body and validates it; malformed JSON is `bad_request`, a schema miss `validation_failed` with the issues. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, what = 'body'): Promise<z.infer<S>> {
  const raw = parseJson(await cappedText(c), 'body');
  checkDepth(what, raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new RocheError('validation_failed', `invalid ${what}`, { details: parsed.error.issues });
  return parsed.data;
}
