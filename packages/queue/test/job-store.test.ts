import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRedis } from '../src/connection.js';
import { JobStore } from '../src/job-store.js';
import { RedisKeys, type JobRecord } from '@roche/core';
import type { Redis } from 'ioredis';

const rec = (id: string): JobRecord => ({
  id,
  state: 'queued',
  createdAt: new Date().toISOString(),
  input: { key: `jobs/${id}/input`, type: 'png', size: 3, sha256: 'abc' },
});

describe('JobStore on real Redis', () => {
  let redis: Redis;
  let store: JobStore;
  beforeAll(() => {
    redis = createRedis(inject('redisUrl'));
    store = new JobStore(redis, new RedisKeys(`js${Date.now()}`));
  });
  afterAll(async () => redis.quit());

  it('creates, reads back through the schema, and refuses duplicates', async () => {
    await store.create(rec('a'));
    expect(await store.get('a')).toMatchObject({ id: 'a', state: 'queued', input: { type: 'png' } });
    await expect(store.create(rec('a'))).rejects.toThrow(/already exists/);
    expect(await store.get('missing')).toBeNull();
  });

  it('transitions only from allowed states, atomically', async () => {
    await store.create(rec('b'));
    expect(await store.transition('b', ['queued'], { state: 'running', startedAt: 'now' })).toBe(true);
    expect(await store.transition('b', ['queued'], { state: 'canceled' })).toBe(false);
    expect((await store.get('b'))?.state).toBe('running');
    const results = await Promise.all([
      store.transition('b', ['running'], { state: 'succeeded' }),
      store.transition('b', ['running'], { state: 'canceled' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(['succeeded', 'canceled']).toContain((await store.get('b'))?.state);
    expect(await store.transition('nope', ['queued'], { state: 'running' })).toBe(false);
  });

  it('counts and publishes changes on the job channel', async () => {
    await store.create(rec('c'));
    const sub = redis.duplicate();
    const got: string[] = [];
    await sub.subscribe(store.channel('c'));
    sub.on('message', (_ch, msg) => got.push(msg));
    expect(await store.markPage('c', 1, 'done')).toBe(1);
    expect(await store.markPage('c', 2, 'done')).toBe(2);
    expect(await store.markPage('c', 1, 'done')).toBe(-1); // a page counts once, however often it ran
    await store.update('c', { pagesTotal: 9 });
    expect(await store.transition('c', ['queued'], { state: 'running' })).toBe(true);
    expect(await store.transition('c', ['queued'], { state: 'canceled' })).toBe(false); // refused: not announced
    await new Promise((r) => setTimeout(r, 100));
    expect((await store.get('c'))?.pagesDone).toBe(2);
    expect(got).toEqual([
      JSON.stringify(['pagesDone']),
      JSON.stringify(['pagesDone']),
      JSON.stringify(['pagesTotal']),
      JSON.stringify(['state']),
    ]);
    await sub.quit();
  });
});
