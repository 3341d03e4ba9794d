import * as crypto from 'node:crypto';
import { RedisKeys } from '@roche/core';
import { createRedis } from '@roche/queue';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';

// Count calls of the constant-time comparison while keeping its real behaviour.
vi.mock('node:crypto', async (orig) => {
  const real = await orig<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const { ApiKeyStore, secretsEqual } = await import('../src/api-keys.js');

describe('ApiKeyStore (real Redis)', () => {
  const redis = createRedis(inject('redisUrl'), { maxRetriesPerRequest: 2 });
  const keys = new RedisKeys(`k${Math.random().toString(36).slice(2, 8)}`);
  const store = new ApiKeyStore(redis, keys);
  afterAll(async () => void (await redis.quit()));

  it('keeps only a hash, verifies the key, refuses near-misses and revoked keys', async () => {
    const { key, record } = await store.create({ tenant: 'acme', scopes: ['jobs:read', 'jobs:read'] });
    expect(key).toMatch(/^rk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(record.scopes).toEqual(['jobs:read']);
    const raw = (await redis.get(keys.apiKey(record.id)))!;
    expect(raw).not.toContain(key.slice(20));
    expect(await store.verify(key)).toMatchObject({ id: record.id, tenant: 'acme' });
    expect(await store.verify(key.slice(0, -1))).toBeNull();
    expect(await store.verify(`${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`)).toBeNull();
    expect(await store.verify(key.replace(record.id, '0'.repeat(16)))).toBeNull();
    await store.revoke(record.id);
    expect(await store.verify(key)).toBeNull();
    expect((await store.list('acme')).map((k) => k.id)).toContain(record.id);
    await expect(store.revoke('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('compares secrets with crypto.timingSafeEqual on fixed-length digests', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const { key } = await store.create({ tenant: 'acme', scopes: ['admin'] });
    await store.verify(`${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0]!;
    expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    // A secret of any length is hashed first, so no length-dependent early exit exists.
    const hash = crypto.createHash('sha256').update('s').digest('hex');
    expect(secretsEqual('s', hash)).toBe(true);
    expect(secretsEqual('s'.repeat(1000), hash)).toBe(false);
    expect(secretsEqual('', hash)).toBe(false);
  });
});
