import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleError } from '../src/http-errors.js';

const errno = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('handleError', () => {
  const app = new Hono();
  app.onError(handleError);
  app.get('/client-abort', () => {
    // What Node raises while reading a body the client stopped sending.
    throw errno('aborted', 'ECONNRESET');
  });
  app.get('/redis-reset', () => {
    throw errno('read ECONNRESET', 'ECONNRESET');
  });

  it('tells a client that hung up mid-body from a Redis outage', async () => {
    const abort = await app.request('/client-abort');
    expect(abort.status).toBe(400);
    expect(((await abort.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const redis = await app.request('/redis-reset');
    expect(redis.status).toBe(503);
    expect(((await redis.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
  });
});
