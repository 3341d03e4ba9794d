import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '../src/connection.js';
import { LuaScript } from '../src/lua-script.js';

const INCR_BY = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, 1);

describe('LuaScript on real Redis', () => {
  let redis: Redis;
  const key = `lua${Date.now()}`;
  beforeAll(() => {
    redis = createRedis(inject('redisUrl'));
  });
  afterAll(async () => redis.quit());

  it('runs by SHA once loaded, and reloads the body after SCRIPT FLUSH', async () => {
    const sha = createHash('sha1').update(`return redis.call('INCRBY', KEYS[1], ARGV[1])`).digest('hex');
    expect(await INCR_BY.run(redis, [key], [2])).toBe(2);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    await redis.script('FLUSH');
    expect(await redis.script('EXISTS', sha)).toEqual([0]);
    // NOSCRIPT → the body is sent once (EVAL caches it), then EVALSHA again.
    expect(await INCR_BY.run(redis, [key], [3])).toBe(5);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
  });

  it('runs new scripts on an auto-pipelined connection whose pipeline is already open (redis/ioredis#1931)', async () => {
    const r = new Redis(inject('redisUrl'), { enableAutoPipelining: true });
    try {
      const fresh = [1, 2, 3].map((n) => new LuaScript(`return redis.call('INCRBY', KEYS[1], ${n}) -- ${key}`, 1));
      // A GET opens this tick's auto-pipeline before any of the scripts has been used on r.
      const got = await Promise.all([r.get(`${key}:none`), ...fresh.map((s) => s.run(r, [`${key}:p`])), r.get(`${key}:none`)]);
      expect(got).toEqual([null, 1, 3, 6, null]);
    } finally {
      await r.quit();
    }
  });

  it('refuses a wrong number of keys instead of shifting arguments into KEYS', () => {
    expect(() => INCR_BY.run(redis, [key, 'other'], [1])).toThrow(/takes 1 keys, got 2/);
  });
});
