import fs from 'node:fs/promises';
import { ConfigError, RedisKeys, SecretBox } from '@roche/core';
import { createRedis } from '@roche/queue';
import { checkSecretCanary } from '@roche/runtime';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startTestService } from './support/service.js';

let redis: ReturnType<typeof createRedis>;
beforeAll(() => {
  redis = createRedis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});

const fresh = () => new RedisKeys(`canary${Math.random().toString(36).slice(2, 10)}`);

it('lets processes with the same keys start, and stops one whose keys cannot open what the others seal', async () => {
  const keys = fresh();
  const key = SecretBox.generateKey();
  await checkSecretCanary(redis, keys, new SecretBox([key])); // the first seals
  await checkSecretCanary(redis, keys, new SecretBox([key])); // the same key opens
  const other = checkSecretCanary(redis, keys, new SecretBox([SecretBox.generateKey()]));
  await expect(other).rejects.toBeInstanceOf(ConfigError);
  await expect(other).rejects.toThrow(/same ROCHE_SECRET_KEYS/);
});

it('follows a rotation: new key first with the old kept re-seals it, after which a process with only the old key is stopped', async () => {
  const keys = fresh();
  const [oldKey, newKey] = [SecretBox.generateKey(), SecretBox.generateKey()];
  await checkSecretCanary(redis, keys, new SecretBox([oldKey]));
  await checkSecretCanary(redis, keys, new SecretBox([newKey, oldKey]));
  expect(new SecretBox([newKey]).isCurrent((await redis.get(keys.secretCanary()))!)).toBe(true);
  await checkSecretCanary(redis, keys, new SecretBox([newKey])); // the old key dropped
  await expect(checkSecretCanary(redis, keys, new SecretBox([oldKey]))).rejects.toBeInstanceOf(ConfigError);
});

it('an API and a worker with data folders of their own and no ROCHE_SECRET_KEYS: the second does not start', async () => {
  // Each generates a key in its own folder; before, the worker started and every job with a webhook
  // failed in it ("sealed with unknown key"), the job left queued for good.
  const api = await startTestService({}, { api: true, worker: false });
  try {
    const worker = startTestService({ ROCHE_QUEUE_PREFIX: api.config.queuePrefix }, { api: false, worker: true });
    await expect(worker).rejects.toThrow(/cannot open secrets sealed by the other Roche processes/);
    // With the API's key given, it starts.
    const key = (await fs.readFile(`${api.dataDir}/secret.key`, 'utf8')).trim();
    const ok = await startTestService({ ROCHE_QUEUE_PREFIX: api.config.queuePrefix, ROCHE_SECRET_KEYS: key }, { api: false, worker: true });
    await ok.stop();
  } finally {
    await api.stop();
  }
});
