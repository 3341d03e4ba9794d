import sharp from 'sharp';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { objectKeys, RedisKeys, RocheError, type JobRecord } from '@roche/core';
import { bullIds, createBoundedRedis, createRedis, DocumentQueue, JobStore } from '@roche/queue';
import { FsObjectStore } from '@roche/storage';
import { DeliveryLog } from '@roche/webhooks';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startDelayProxy } from '../../../test/support/delay-proxy.js';
import { makeTextPdf } from '../../../test/support/documents.js';
import { JobService } from '../src/job-service.js';

const limits = { maxUploadBytes: 1e8, maxPages: 50, maxPagePixels: 1e8, dpi: 72 };

describe('JobService: the job lifecycle over real Redis and a real object store', () => {
  let redis: Redis;
  let dir: string;
  let queue: DocumentQueue;
  let service: JobService;
  let keys: RedisKeys;
  const ended: JobRecord[] = [];

  beforeAll(async () => {
    redis = createRedis(inject('redisUrl'));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-jobs-'));
    const prefix = `jobsvc${Date.now()}`;
    keys = new RedisKeys(prefix);
    queue = new DocumentQueue(inject('redisUrl'), prefix);
    service = new JobService({
      config: { limits, retentionHours: 1 },
      store: new FsObjectStore(dir),
      jobs: new JobStore(redis, keys),
      queue,
      onTerminal: [
        async (r) => void ended.push(r),
        async () => {
          throw new Error('a failing hook must not stop the others or the transition');
        },
      ],
    });
  });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('submit stores the input, records the job and queues one page job per selected page', async () => {
    const rec = await service.submit({ bytes: makeTextPdf(3), options: { pages: '2-3' }, tenant: 'acme' });
    expect(rec.state).toBe('queued');
    expect(rec.pages).toEqual([2, 3]);
    expect(await service.deps.store.head(rec.input.key)).not.toBeNull();
    expect(await queue.pages.getJobCountByTypes('waiting', 'prioritized')).toBeGreaterThanOrEqual(2);
    // Tenant scoping: another tenant sees nothing, the owner sees the job.
    await expect(service.get(rec.id, 'other')).rejects.toMatchObject({ code: 'not_found' });
    expect((await service.get(rec.id, 'acme')).id).toBe(rec.id);
  });

  it('refuses what the document shows at once, with stable codes, and stores nothing', async () => {
    const stored = async () => (await fs.readdir(path.join(dir, 'jobs')).catch(() => [])).length;
    const before = await stored();
    await expect(service.submit({ bytes: Buffer.from('hello') })).rejects.toMatchObject({ code: 'unsupported_media_type' });
    // Formats that are known but not read are named (BigTIFF: Roche's TIFF checks read classic TIFF only).
    const image = sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } });
    await expect(service.submit({ bytes: await image.clone().tiff({ bigtiff: true }).toBuffer() })).rejects.toMatchObject({
      code: 'unsupported_media_type',
      message: expect.stringMatching(/^BigTIFF is not supported: expected PDF, PNG, JPEG, WebP or TIFF/),
    });
    await expect(service.submit({ bytes: await image.clone().gif().toBuffer() })).rejects.toMatchObject({
      message: expect.stringMatching(/^GIF is not supported/),
    });
    await expect(service.submit({ bytes: await image.clone().heif({ compression: 'av1' }).toBuffer() })).rejects.toMatchObject({
      message: expect.stringMatching(/^HEIF\/AVIF is not supported/),
    });
    // Text that merely starts with "BM" is not called a BMP.
    await expect(service.submit({ bytes: Buffer.from('BMW owners manual') })).rejects.toMatchObject({
      message: expect.stringMatching(/^not a supported document/),
    });
    await expect(service.submit({ bytes: Buffer.alloc(0) })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(service.submit({ bytes: makeTextPdf(2), options: { pages: '5' } })).rejects.toBeInstanceOf(RocheError);
    expect(await stored()).toBe(before);
  });

  it('settle writes result.json, ends the job once and runs every terminal hook once', async () => {
    const rec = await service.submit({ bytes: makeTextPdf(2) });
    const pageResult = (page: number) => JSON.stringify({ page, width: 10, height: 10, regions: [] });
    await service.deps.store.put(objectKeys.page(rec.id, 1), pageResult(1));
    await service.deps.store.put(
      objectKeys.pageError(rec.id, 2),
      JSON.stringify({ page: 2, code: 'corrupt_document', message: 'bad page' }),
    );
    const before = ended.length;
    expect(await service.settle(rec.id)).toBe('partial');
    expect(await service.settle(rec.id)).toBe('skipped'); // a second run of the step changes nothing
    expect(ended.length - before).toBe(1);
    const done = await service.get(rec.id);
    expect(done.state).toBe('partial');
    expect(done.error?.message).toBe('1 of 2 pages failed');
    const result = await service.result(done);
    expect(result.pages.map((p) => p.page)).toEqual([1]);
    expect(result.errors).toEqual([{ page: 2, code: 'corrupt_document', message: 'bad page' }]);
    // Retention was scheduled by the step that ended the job.
    expect(await queue.documents.getJob(`${rec.id}-expire`)).toBeTruthy();
  });

  it('an unreadable stored page fails that page; an assembly that cannot succeed ends the job on its last attempt', async () => {
    // Before, both threw on every attempt and left the job running for ever (no webhook, no retention).
    const rec = await service.submit({ bytes: makeTextPdf(2) });
    await service.deps.store.put(objectKeys.page(rec.id, 1), JSON.stringify({ page: 1, width: 10, height: 10, regions: [] }));
    await service.deps.store.put(objectKeys.page(rec.id, 2), '{"page": 2, "trunc');
    expect(await service.settle(rec.id)).toBe('partial');
    const result = await service.result(await service.get(rec.id));
    expect(result.errors).toMatchObject([{ page: 2, code: 'internal', message: expect.stringMatching(/cannot be read/) }]);

    // The real store, refusing to write results (a full disk, a bucket policy): not an outage.
    const real = service.deps.store;
    const refusing = Object.create(real, {
      put: {
        value: async (...args: Parameters<typeof real.put>) =>
          args[0].endsWith('result.json') ? Promise.reject(new Error('EACCES: permission denied')) : real.put(...args),
      },
    }) as typeof real;
    const stuck = await service.submit({ bytes: makeTextPdf(1) });
    await real.put(objectKeys.page(stuck.id, 1), JSON.stringify({ page: 1, width: 10, height: 10, regions: [] }));
    const svc = new JobService({ ...service.deps, store: refusing });
    await expect(svc.settle(stuck.id)).rejects.toThrow(/EACCES/);
    expect((await svc.get(stuck.id)).state).not.toMatch(/failed|succeeded/);
    expect(await svc.settle(stuck.id, true)).toBe('failed');
    const failed = await svc.get(stuck.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/could not be assembled: EACCES/) });
  });

  it('cancel and settle race: exactly one ends the job', async () => {
    const rec = await service.submit({ bytes: makeTextPdf(1) });
    await service.deps.store.put(objectKeys.page(rec.id, 1), JSON.stringify({ page: 1, width: 10, height: 10, regions: [] }));
    const before = ended.length;
    const [c, s] = await Promise.allSettled([service.cancel(rec.id), service.settle(rec.id)]);
    const winners = [c.status === 'fulfilled', s.status === 'fulfilled' && s.value !== 'skipped'].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(ended.length - before).toBe(1);
    await expect(service.cancel(rec.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('delete and retention remove the record, the objects and the webhook delivery log alike', async () => {
    const log = new DeliveryLog(redis, keys);
    for (const how of ['delete', 'expire'] as const) {
      const rec = await service.submit({ bytes: makeTextPdf(1) });
      await log.append(rec.id, {
        webhookId: 'msg_1',
        url: 'http://127.0.0.1/',
        event: 'job.succeeded',
        attempt: 1,
        at: new Date().toISOString(),
        outcome: 'delivered',
        status: 200,
      });
      expect(await redis.exists(keys.jobDeliveries(rec.id))).toBe(1);
      if (how === 'delete') expect((await service.delete(rec.id)).objects).toBeGreaterThanOrEqual(1);
      else await service.expire(rec.id);
      expect(await redis.exists(...keys.jobKeys(rec.id))).toBe(0);
      expect(await service.deps.store.head(rec.input.key)).toBeNull();
      await expect(service.get(rec.id)).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('announces a job that ended even when reads time out right after (a Redis stalling): a retry would find it ended and announce nothing', async () => {
    // Reads through a proxy that can make Redis answer late, with the bounded connection's timeout.
    const proxy = await startDelayProxy(Number(new URL(inject('redisUrl')).port));
    const reads = createBoundedRedis(proxy.url.replace('http:', 'redis:'), 300, { maxRetriesPerRequest: 1 });
    class StallsAfterResult extends FsObjectStore {
      override async put(key: string, body: Buffer | Uint8Array | string, opts?: { contentType?: string }): Promise<void> {
        await super.put(key, body, opts);
        if (key.endsWith('/result.json')) proxy.setDelay(1500); // the job's end comes next
      }
    }
    const announced: string[] = [];
    const svc = new JobService({
      config: { limits, retentionHours: 1 },
      store: new StallsAfterResult(dir),
      jobs: new JobStore(redis, keys, undefined, reads),
      queue,
      onTerminal: [async (r) => void announced.push(`${r.id} ${r.state}`)],
    });
    try {
      const rec = await svc.submit({ bytes: makeTextPdf(1) });
      await svc.deps.store.put(objectKeys.page(rec.id, 1), JSON.stringify({ page: 1, width: 612, height: 792, regions: [] }));
      expect(await svc.settle(rec.id, true)).toBe('succeeded');
      expect(announced).toEqual([`${rec.id} succeeded`]);
      await expect(reads.ping()).rejects.toThrow(/Command timed out/); // the reads were stalled indeed
    } finally {
      reads.disconnect();
      await proxy.close();
    }
  });

  it("steps after a job's end that did not get through (a hook meeting an outage, a worker killed) are finished by the next settle, once", async () => {
    let failNext = true;
    const notified: string[] = [];
    const svc = new JobService({
      config: { limits, retentionHours: 1 },
      store: new FsObjectStore(dir),
      jobs: new JobStore(redis, keys),
      queue,
      onTerminal: [
        async (r) => {
          if (failNext) {
            failNext = false;
            throw new RocheError('queue_unavailable', 'Redis is unavailable: Connection is closed.');
          }
          notified.push(`${r.id} ${r.state}`);
        },
      ],
    });
    const page = JSON.stringify({ page: 1, width: 612, height: 792, regions: [] });
    const rec = await svc.submit({ bytes: makeTextPdf(1) });
    await svc.deps.store.put(objectKeys.page(rec.id, 1), page);
    // The hook meets an outage: the job has ended, but the settle fails, so its queue job is retried.
    await expect(svc.settle(rec.id)).rejects.toMatchObject({ code: 'queue_unavailable' });
    expect((await svc.deps.jobs.get(rec.id))?.state).toBe('succeeded');
    expect((await svc.deps.jobs.get(rec.id))?.endSteps).toBe('pending');
    expect(await svc.settle(rec.id)).toBe('skipped');
    expect(notified).toEqual([`${rec.id} succeeded`]);
    expect((await svc.deps.jobs.get(rec.id))?.endSteps).toBe('done');
    expect(await queue.documents.getJob(bullIds.expire(rec.id))).toBeDefined();
    expect(await svc.settle(rec.id)).toBe('skipped');
    expect(notified).toHaveLength(1); // done once: a later settle does nothing

    // A worker killed right after the end's transition leaves exactly this behind.
    const killed = await svc.submit({ bytes: makeTextPdf(1) });
    await svc.deps.jobs.transition(killed.id, ['queued'], {
      state: 'succeeded',
      finishedAt: new Date().toISOString(),
      endSteps: 'pending',
    });
    expect(await svc.settle(killed.id)).toBe('skipped');
    expect(notified).toEqual([`${rec.id} succeeded`, `${killed.id} succeeded`]);
    expect(await queue.documents.getJob(bullIds.expire(killed.id))).toBeDefined();

    // A cancel whose steps meet an outage still answers canceled (it took effect); its steps wait for the settle.
    const canceled = await svc.submit({ bytes: makeTextPdf(1) });
    failNext = true;
    expect((await svc.cancel(canceled.id)).record.state).toBe('canceled');
    expect((await svc.deps.jobs.get(canceled.id))?.endSteps).toBe('pending');
    expect(await svc.settle(canceled.id)).toBe('skipped');
    expect(notified.at(-1)).toBe(`${canceled.id} canceled`);

    // Steps finishing after the job was deleted leave no stray record behind.
    const gone = await svc.submit({ bytes: makeTextPdf(1) });
    await svc.delete(gone.id);
    await svc.deps.jobs.endStepsDone(gone.id);
    expect(await redis.exists(keys.job(gone.id))).toBe(0);
  });
});
