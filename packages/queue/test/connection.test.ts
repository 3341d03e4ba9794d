import { isOutage } from '@roche/core';
import { describe, expect, inject, it } from 'vitest';
import { startDelayProxy } from '../../../test/support/delay-proxy.js';
import { asRedisOutage, createBoundedRedis, createRedis, freePort, isRedisUnavailable } from '../src/index.js';

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

  it('a bounded connection gives up on a Redis that does not answer, but not on answers that came while this process stalled', async () => {
    const bounded = createBoundedRedis(inject('redisUrl'), 200, { maxRetriesPerRequest: 1 });
    const proxy = await startDelayProxy(Number(new URL(inject('redisUrl')).port));
    const slow = createBoundedRedis(proxy.url.replace('http:', 'redis:'), 200, { maxRetriesPerRequest: 1 });
    try {
      await Promise.all([bounded.ping(), slow.ping()]);
      // The process itself busy for twice the timeout while ten answers arrive: none is a timeout.
      const reads = Array.from({ length: 10 }, (_, i) =>
        bounded.get(`stall-${i}`).then(
          () => 'answered',
          (e: Error) => e.message,
        ),
      );
      const until = Date.now() + 400;
      while (Date.now() < until); // a long GC pause, or a starved CPU
      expect(await Promise.all(reads)).toEqual(Array(10).fill('answered'));
      // A Redis answering later than the timeout: the command gives up, as an outage.
      proxy.setDelay(1000);
      const late = await slow.get('late').catch((e: unknown) => e);
      expect(late).toMatchObject({ message: 'Command timed out' });
      expect(asRedisOutage(late)).toMatchObject({ code: 'queue_unavailable' });
    } finally {
      proxy.setDelay(0);
      bounded.disconnect();
      slow.disconnect();
      await proxy.close();
    }
  });
});
