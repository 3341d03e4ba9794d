import path from 'node:path';
import { ApiKeyStore } from '@roche/auth';
import { ConfigError, RedisKeys, type Config, type SecretBox } from '@roche/core';
import {
  createBoundedRedis,
  createRedis,
  DocumentQueue,
  JobStore,
  startEmbeddedRedis,
  waitingSince,
  type EmbeddedRedis,
} from '@roche/queue';
import { createObjectStore, createS3Client, getObject, parseS3Uri, type ObjectStore } from '@roche/storage';
import type { Redis } from 'ioredis';
import { metrics, onScrape } from '@roche/telemetry';
import {
  AllowList,
  DEFAULT_SCHEDULE_MS,
  DeliveryLog,
  EndpointStore,
  WebhookNotifier,
  WebhookQueue,
  type DeliverySettings,
} from '@roche/webhooks';
import { checkSecretCanary, openSecretBox } from './secret-key.js';

/** The shared connections every Roche process needs, opened from one Config. */
export interface Infra {
  config: Config;
  redisUrl: string;
  redis: Redis;
  /**
   * For commands that may be given up on: reads, and counters where one count too many is harmless
   * (rate limits). Each waits at most `redisReadTimeoutMs`, so a Redis that hangs is an outage (503)
   * in seconds instead of a status read left waiting for minutes. Writes stay on `redis`: a command
   * that timed out may still run once Redis resumes, and code that took it for undone would leak
   * admission counts, lose expiries or make a second job of one Idempotency-Key.
   */
  boundedRedis: Redis;
  keys: RedisKeys;
  /** Seals secrets at rest (webhook signing secrets). */
  box: SecretBox;
  apiKeys: ApiKeyStore;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
  readS3?: (uri: string) => Promise<Buffer>;
  webhooks: {
    endpoints: EndpointStore;
    log: DeliveryLog;
    queue: WebhookQueue;
    notifier: WebhookNotifier;
    allow: AllowList;
    settings: DeliverySettings;
  };
  /** Set when this process started its own redis-server (no REDIS_URL given). */
  embeddedRedis?: EmbeddedRedis;
  close(): Promise<void>;
}

export async function openInfra(config: Config, log: (msg: string) => void = () => {}): Promise<Infra> {
  let embeddedRedis: EmbeddedRedis | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    embeddedRedis = await startEmbeddedRedis({ dir: path.join(config.dataDir, 'redis') });
    redisUrl = embeddedRedis.url;
    log(`started private redis-server at ${redisUrl} (data in ${path.join(config.dataDir, 'redis')})`);
  }
  // Status reads and writes give up after a few retries so a Redis outage surfaces as an error.
  // Auto-pipelining sends the commands of concurrent requests issued in one tick as one write: on the
  // submit path one socket write per command was the API's largest single cost. This connection never blocks.
  const redis = createRedis(redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const boundedRedis = createBoundedRedis(redisUrl, config.redisReadTimeoutMs, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const store = createObjectStore(config.storage);
  const s3Client = config.s3 ? createS3Client(config.s3) : undefined;
  const readS3 = s3Client
    ? (uri: string) => {
        const ref = parseS3Uri(uri);
        if (!ref) throw new Error(`not an s3:// reference: ${uri}`);
        // Refused at the upload limit before (and while) it is read, not after it sits whole in memory.
        return getObject(s3Client, ref.bucket, ref.key, uri, { maxBytes: config.limits.maxUploadBytes });
      }
    : undefined;
  const keys = new RedisKeys(config.queuePrefix);
  const box = await openSecretBox(config.secretKeys, config.dataDir, log);
  // Redis down at start is an outage like any other (requests answer 503 until it is back): only a
  // mismatch of keys stops the start.
  await checkSecretCanary(redis, keys, box).catch((e: Error) => {
    if (e instanceof ConfigError) {
      redis.disconnect();
      boundedRedis.disconnect();
      throw e;
    }
    log(`could not check the secret keys against Redis (${e.message}); continuing`);
  });
  const jobs = new JobStore(redis, keys, box, boundedRedis);
  const queue = new DocumentQueue(redisUrl, config.queuePrefix, config.worker.attempts, config.worker.pagesPerQueueJob);
  const allow = new AllowList(config.webhooks.allow);
  const scheduleMs = config.webhooks.scheduleMs ?? DEFAULT_SCHEDULE_MS;
  const endpoints = new EndpointStore(redis, keys, box);
  const webhookQueue = new WebhookQueue(redisUrl, config.queuePrefix, scheduleMs.length + 1);
  const webhooks = {
    endpoints,
    log: new DeliveryLog(redis, keys),
    queue: webhookQueue,
    notifier: new WebhookNotifier(webhookQueue, endpoints),
    allow,
    settings: { scheduleMs, jitter: 0.2, timeoutMs: config.webhooks.timeoutMs, allow },
  };
  const queues = [queue.documents, queue.pages, webhookQueue.queue];
  const stopCollecting = onScrape(async () => {
    for (const q of queues) {
      const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'waiting-children');
      for (const [state, n] of Object.entries(counts)) metrics.queueJobs.set({ queue: q.name, state }, n);
      const [oldest] = await q.getWaiting(0, 0);
      metrics.queueOldestWait.set({ queue: q.name }, oldest ? Math.max(0, Date.now() - waitingSince(oldest)) / 1000 : 0);
    }
  });
  return {
    config,
    redisUrl,
    redis,
    boundedRedis,
    keys,
    box,
    apiKeys: new ApiKeyStore(redis, keys, undefined, boundedRedis),
    store,
    jobs,
    queue,
    readS3,
    webhooks,
    embeddedRedis,
    async close() {
      stopCollecting();
      await queue.close();
      await webhookQueue.close();
      await redis.quit().catch(() => redis.disconnect());
      await boundedRedis.quit().catch(() => boundedRedis.disconnect());
      s3Client?.destroy();
      await embeddedRedis?.stop();
    },
  };
}
