import { isOutage } from '@roche/core';
import { describe, expect, it } from 'vitest';
import { asRedisOutage, createRedis, freePort, isRedisUnavailable } from '../src/index.js';

describe('Redis errors as outages', () => {
  it("ioredis's own errors (a Redis nobody answers on) become queue_unavailable; bare socket codes from elsewhere do not", async () => {
    // A port nothing listens on: ioredis gives up on the command after its retries.
    const redis = createRedis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    const real = await redis.get('k').catch((e: unknown) => e);
    redis.disconnect();
    expect(isOutage(asRedisOutage(real))).toBe(true);
    expect(asRedisOutage(real)).toMatchObject({ code: 'queue_unavailable' });

    // An fs store on a network mount may raise these: a page must fail on them, not wait for good.
    const nfs = Object.assign(new Error('ETIMEDOUT: connection timed out, open /data/jobs/x'), { code: 'ETIMEDOUT' });
    expect(asRedisOutage(nfs)).toBe(nfs);
    // The API still answers 503 for a refused connection (isRedisUnavailable is the wider test).
    expect(isRedisUnavailable(nfs)).toBe(true);
    const bug = new TypeError('x is undefined');
    expect(asRedisOutage(bug)).toBe(bug);
  });
});
