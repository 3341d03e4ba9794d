import { RedisKeys } from '@roche/core';
import { createBoundedRedis, createRedis, JobStore } from '@roche/queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../test/support/delay-proxy.js';
import { startReceiver } from '../../../test/support/webhook-receiver.js';
import { AllowList, createDeliveryWorker, DeliveryLog, EndpointStore, WebhookQueue } from '../src/index.js';

describe('a delivery whose job record cannot be read in time', () => {
  let proxy: DelayProxy;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    proxy = await startDelayProxy(Number(new URL(inject('redisUrl')).port));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await proxy?.close();
    await receiver?.close();
  });

  it('waits for Redis without spending an attempt: even on its last attempt it is delivered once Redis answers', async () => {
    const url = inject('redisUrl');
    const prefix = `delivery-outage${Date.now()}`;
    const keys = new RedisKeys(prefix);
    const redis = createRedis(url);
    // Reads through a proxy that can make Redis answer late, with the service's bounded-connection timeout.
    const reads = createBoundedRedis(proxy.url.replace('http:', 'redis:'), 300, { maxRetriesPerRequest: 1 });
    await reads.ping();
    const jobs = new JobStore(redis, keys, undefined, reads);
    const id = 'job_0000000000000000000000000000000d1';
    await jobs.create({
      id,
      state: 'succeeded',
      createdAt: new Date().toISOString(),
      input: { key: `jobs/${id}/input`, type: 'png', size: 1, sha256: 'a'.repeat(64) },
      webhook: { url: receiver.url(), secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` },
    });
    const queue = new WebhookQueue(url, prefix, 1); // one attempt: the first is the last
    const connection = createRedis(url);
    const settings = { scheduleMs: [], jitter: 0, timeoutMs: 2000, allow: new AllowList(['127.0.0.1/32']) };
    const worker = createDeliveryWorker(
      { jobs, endpoints: new EndpointStore(redis, keys), log: new DeliveryLog(redis, keys), settings },
      connection,
      prefix,
    );
    try {
      proxy.setDelay(1500);
      await queue.add({ jobId: id, event: 'job.succeeded', webhookId: 'msg_outage1', target: 'job', body: '{"ok":true}' }, 'd1');
      // The worker's read of the record times out meanwhile (300 ms): with one attempt, a delivery that
      // spent it on that would be failed for good and never sent.
      await new Promise((r) => setTimeout(r, 1500));
      proxy.setDelay(0);
      await receiver.waitFor((r) => r.some((x) => x.headers['webhook-id'] === 'msg_outage1'), 20_000);
      const delivered = receiver.received.filter((x) => x.headers['webhook-id'] === 'msg_outage1');
      expect(delivered).toHaveLength(1);
    } finally {
      proxy.setDelay(0);
      await worker.close();
      await queue.close();
      connection.disconnect();
      reads.disconnect();
      await redis.quit();
    }
  });
});
