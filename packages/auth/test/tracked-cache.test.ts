import { RedisKeys } from '@roche/core';
import { createRedis } from '@roche/queue';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { ApiKeyStore, type ApiKeyRecord } from '../src/api-keys.js';
import { TrackedCache } from '../src/tracked-cache.js';

/** Polls `check` until it holds (at most `ms`); returns how long that took. */
async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
}

describe('TrackedCache and the API-key cache (real Redis, CLIENT TRACKING)', () => {
  const url = inject('redisUrl');
  const redis = createRedis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  // Another replica's connection, with no cache: revocations come from there.
  const other = createRedis(url, { maxRetriesPerRequest: 2 });
  const keys = new RedisKeys(`c${Math.random().toString(36).slice(2, 8)}`);
  const caches: Array<TrackedCache<ApiKeyRecord>> = [];
  const start = async () => {
    const c = await TrackedCache.start<ApiKeyRecord>(redis, keys.apiKeyPrefix(), { ttlMs: 600_000 });
    caches.push(c);
    return c;
  };
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()));
    await Promise.all([redis.quit(), other.quit()]);
  });

  it('serves a verified key from memory and stops accepting it as soon as another replica revokes it', async () => {
    const cache = await start();
    expect(cache.active).toBe(true);
    const admin = new ApiKeyStore(other, keys);
    const cached = new ApiKeyStore(redis, keys, cache);
    const { key, record } = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    const get = vi.spyOn(redis, 'get');
    expect(await cached.verify(key)).toMatchObject({ id: record.id, tenant: 'acme' });
    expect(await cached.verify(key)).toMatchObject({ id: record.id });
    expect(await cached.verify(key)).toMatchObject({ id: record.id });
    expect(get).toHaveBeenCalledTimes(1);
    // The secret is still compared on every request: a wrong one is refused from memory too.
    expect(await cached.verify(`${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`)).toBeNull();
    get.mockRestore();
    await admin.revoke(record.id);
    // Revoked through this replica's own store: refused at once, whenever Redis's announcement comes.
    const again = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    expect(await cached.verify(again.key)).not.toBeNull();
    await cached.revoke(again.record.id);
    expect(await cached.verify(again.key)).toBeNull();
    // Redis announces the write; the 10-minute TTL plays no part.
    const ms = await until(async () => (await cached.verify(key)) === null);
    expect(ms).toBeLessThan(5_000);
    expect(await cached.verify(key)).toBeNull();
  });

  it('drops entries when a record is deleted or expires, whoever does it', async () => {
    const cache = await start();
    const admin = new ApiKeyStore(other, keys);
    const cached = new ApiKeyStore(redis, keys, cache);
    const a = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    const b = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    expect(await cached.verify(a.key)).not.toBeNull();
    expect(await cached.verify(b.key)).not.toBeNull();
    await other.del(keys.apiKey(a.record.id));
    await until(async () => (await cached.verify(a.key)) === null);
    await other.pexpire(keys.apiKey(b.record.id), 50);
    await until(async () => (await cached.verify(b.key)) === null);
  });

  it('keeps nothing read while an invalidation arrives, and nothing for keys that do not exist', async () => {
    const cache = await start();
    let loads = 0;
    const rec = { id: 'x', tenant: 't', scopes: ['admin'], createdAt: '', hash: '' } as ApiKeyRecord;
    // A read in flight when Redis announces a change to the key: its (possibly old) value is not kept.
    const slow = cache.get('x', async () => {
      loads++;
      await other.set(`${keys.apiKeyPrefix()}x`, 'changed');
      await until(() => false, 200).catch(() => {});
      return rec;
    });
    expect(await slow).toBe(rec);
    expect(await cache.get('x', async () => (loads++, rec))).toBe(rec);
    expect(loads).toBe(2);
    expect(await cache.get('x', async () => (loads++, rec))).toBe(rec);
    expect(loads).toBe(2);
    // Unknown keys are read every time (random ids would otherwise fill memory).
    expect(await cache.get('missing', async () => (loads++, null))).toBeNull();
    expect(await cache.get('missing', async () => (loads++, null))).toBeNull();
    expect(loads).toBe(4);
  });

  it('serves nothing from memory while its connection to Redis is broken, and resumes once tracking is back', async () => {
    const cache = await start();
    const admin = new ApiKeyStore(other, keys);
    const cached = new ApiKeyStore(redis, keys, cache);
    const { key, record } = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    expect(await cached.verify(key)).not.toBeNull();
    // Redis drops the subscriber that receives the invalidations, and the key is revoked before it is
    // back (it reconnects after ~50 ms): the cache is off meanwhile, so the next request reads Redis.
    await other.call('CLIENT', 'KILL', 'ID', String(cache['subscriberId']));
    await admin.revoke(record.id);
    expect(cache.active).toBe(false);
    expect(await cached.verify(key)).toBeNull();
    await until(() => cache.active);
    const fresh = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    expect(await cached.verify(fresh.key)).not.toBeNull();
    // Tracking is registered again: a revocation now is announced as before.
    await admin.revoke(fresh.record.id);
    await until(async () => (await cached.verify(fresh.key)) === null);
    // The same when the tracker connection is the one dropped.
    const third = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
    expect(await cached.verify(third.key)).not.toBeNull();
    const trackerId = Number(await cache['tracker'].call('CLIENT', 'ID'));
    await other.call('CLIENT', 'KILL', 'ID', String(trackerId));
    await admin.revoke(third.record.id);
    expect(cache.active).toBe(false);
    expect(await cached.verify(third.key)).toBeNull();
    await until(() => cache.active);
  });

  it.each([
    ['CLIENT TRACKING refused', '-client|tracking'],
    ['CLIENT hidden altogether (managed services)', '-client'],
  ])('stays off where Redis refuses it (%s): says so once, reads Redis every time, revocation is immediate', async (_, rule) => {
    const user = `u${Math.random().toString(36).slice(2, 8)}`;
    await other.call('ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', '+@all', rule);
    const u = new URL(url);
    [u.username, u.password] = [user, 'pw'];
    const limited = createRedis(u.toString(), { maxRetriesPerRequest: 2 });
    const said: string[] = [];
    const cache = await TrackedCache.start<ApiKeyRecord>(limited, keys.apiKeyPrefix(), { log: (m) => said.push(m) });
    try {
      expect(cache.active).toBe(false);
      expect(said).toEqual([expect.stringMatching(/no caching under .*CLIENT TRACKING is unavailable/)]);
      const admin = new ApiKeyStore(other, keys);
      const cached = new ApiKeyStore(limited, keys, cache);
      const { key, record } = await admin.create({ tenant: 'acme', scopes: ['jobs:read'] });
      const get = vi.spyOn(limited, 'get');
      expect(await cached.verify(key)).not.toBeNull();
      expect(await cached.verify(key)).not.toBeNull();
      expect(get).toHaveBeenCalledTimes(2);
      await admin.revoke(record.id);
      expect(await cached.verify(key)).toBeNull();
      expect(said).toHaveLength(1);
    } finally {
      await cache.close();
      await limited.quit();
      await other.call('ACL', 'DELUSER', user);
    }
  });
});
