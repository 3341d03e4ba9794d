import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { objectKeys, RedisKeys, type PageTextLayer, type RgbImage } from '@roche/core';
import type { AnalyzeOptions, LayoutEngine } from '@roche/inference';
import { createRedis, DocumentQueue, JobStore, startEmbeddedRedis } from '@roche/queue';
import { FsObjectStore } from '@roche/storage';
import type { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { makeTextPdf } from '../../../test/support/documents.js';
import { JobService } from '../src/job-service.js';
import { PageProcessor } from '../src/page-processor.js';

const limits = { maxUploadBytes: 1e8, maxPages: 50, maxPagePixels: 1e8, dpi: 72 };

/** An engine that finds nothing and records the text layer it was given for each page. */
function recordingEngine(readsTextLayer: boolean | undefined, seen: Array<PageTextLayer | null | undefined>): LayoutEngine {
  return {
    name: 'recorder',
    readsTextLayer,
    async analyze(pages: RgbImage[], opts: AnalyzeOptions = {}) {
      pages.forEach((_, i) => seen.push(opts.textLayers?.[i]));
      return pages.map((p) => ({ width: p.width, height: p.height, regions: [] }));
    },
    async close() {},
  };
}

describe('PageProcessor over real Redis and a real object store', () => {
  let redis: Redis;
  let dir: string;
  let queue: DocumentQueue;
  let service: JobService;

  beforeAll(async () => {
    redis = createRedis(inject('redisUrl'));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-pages-'));
    const prefix = `pageproc${Date.now()}`;
    queue = new DocumentQueue(inject('redisUrl'), prefix);
    service = new JobService({
      config: { limits, retentionHours: 1 },
      store: new FsObjectStore(dir),
      jobs: new JobStore(redis, new RedisKeys(prefix)),
      queue,
    });
  });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const processorWith = (engine: LayoutEngine, renderThreads: number, svc = service) =>
    new PageProcessor(
      svc,
      { engine: () => engine, version: '' },
      {
        limits,
        worker: {
          concurrency: 1,
          attempts: 1,
          pagesPerQueueJob: 1,
          ortIntraOpThreads: 1,
          documentCache: 2,
          renderThreads,
          renderTimeoutMs: 30_000,
          analysisThreads: 0,
          analysisTimeoutMs: 60_000,
          lockMs: 30_000,
          metricsPort: 0,
          shutdownGraceMs: 1000,
        },
      },
    );

  it('stores an overlay only when the job asks for one; previews and crops come from the pooled page too', async () => {
    const boxes: LayoutEngine = {
      name: 'one-box',
      async analyze(pages: RgbImage[]) {
        return pages.map((p) => ({
          width: p.width,
          height: p.height,
          regions: [{ label: 'text', score: 0.9, order: 0, box: [10, 10, 200, 60] }],
        }));
      },
      async close() {},
    };
    const processor = processorWith(boxes, 1);
    const plain = await service.submit({ bytes: makeTextPdf(1) });
    const drawn = await service.submit({ bytes: makeTextPdf(1), options: { overlays: true, previews: true, crops: ['text'] } });
    expect(await processor.process(plain.id, 1, true)).toBe('done');
    expect(await processor.process(drawn.id, 1, true)).toBe('done');
    processor.close();
    const page = async (id: string) =>
      JSON.parse((await service.deps.store.get(objectKeys.page(id, 1))).toString()) as { overlay?: string };
    expect((await page(plain.id)).overlay).toBeUndefined();
    expect(await service.deps.store.head(objectKeys.overlay(plain.id, 1))).toBeNull();
    expect((await page(drawn.id)).overlay).toMatch(/overlays\/1\.png$/);
    const png = await service.deps.store.get(objectKeys.overlay(drawn.id, 1));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const preview = await sharp(await service.deps.store.get(objectKeys.preview(drawn.id, 1))).metadata();
    expect([preview.format, preview.width, preview.height]).toEqual(['jpeg', 612, 792]);
    const crop = await sharp(await service.deps.store.get(objectKeys.crop(drawn.id, 1, 0, 'text')))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([crop.info.width, crop.info.height]).toEqual([190, 50]);
    expect(crop.data.some((v) => v < 128)).toBe(true); // the page's text, not an empty buffer
  });

  // Reading a PDF page's text layer costs about as much as rendering it; only engines that use it pay.
  it.each([
    [true, 'gets the PDF text layer', 0],
    [undefined, 'is not given one, and none is read', 0],
    [true, 'gets the PDF text layer', 2],
    [undefined, 'is not given one, and none is read', 2],
  ])('an engine with readsTextLayer %s %s (render threads: %i)', async (reads, _what, renderThreads) => {
    const seen: Array<PageTextLayer | null | undefined> = [];
    const engine = recordingEngine(reads, seen);
    const processor = processorWith(engine, renderThreads);
    const rec = await service.submit({ bytes: makeTextPdf(1), options: { overlays: false } });
    expect(await processor.process(rec.id, 1, true)).toBe('done');
    processor.close();
    expect(seen).toHaveLength(1);
    if (reads) expect(seen[0]?.lines.length).toBeGreaterThan(0);
    else expect(seen[0]).toBeNull();
    expect(await service.deps.store.head(objectKeys.page(rec.id, 1))).not.toBeNull();
  });

  it('counts a page an earlier attempt stored whole without running it again, and runs again one whose stored result was cut short', async () => {
    const seen: Array<PageTextLayer | null | undefined> = [];
    const processor = processorWith(recordingEngine(undefined, seen), 0);
    const rec = await service.submit({ bytes: makeTextPdf(2) });
    const whole = JSON.stringify({ page: 1, width: 612, height: 792, regions: [] });
    await service.deps.store.put(objectKeys.page(rec.id, 1), whole);
    // What s3rver shows after a PUT lost its connection halfway: the bytes it received, as the object.
    await service.deps.store.put(objectKeys.page(rec.id, 2), whole.slice(0, 20));
    expect(await processor.processPages(rec.id, [1, 2], true)).toEqual(['done', 'done']);
    processor.close();
    expect(seen).toHaveLength(1); // page 2 alone went through the engine
    expect((await service.deps.store.get(objectKeys.page(rec.id, 1))).toString()).toBe(whole);
    const rewritten = JSON.parse((await service.deps.store.get(objectKeys.page(rec.id, 2))).toString()) as { page: number };
    expect(rewritten.page).toBe(2);
    expect((await service.deps.jobs.get(rec.id))?.pagesDone).toBe(2);
  });

  it('a page whose Redis goes away while it runs waits for it (queue_unavailable), even on its last attempt: it is not failed', async () => {
    const redisDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-pages-redis-'));
    let own = await startEmbeddedRedis({ dir: redisDir });
    const conn = createRedis(own.url, { maxRetriesPerRequest: 1 }); // as the service's shared connection gives up
    const prefix = `pageproc-outage${Date.now()}`;
    const ownQueue = new DocumentQueue(own.url, prefix);
    const svc = new JobService({
      config: { limits, retentionHours: 1 },
      store: new FsObjectStore(dir),
      jobs: new JobStore(conn, new RedisKeys(prefix)),
      queue: ownQueue,
    });
    const killer: LayoutEngine = {
      name: 'kills-redis',
      async analyze(pages: RgbImage[]) {
        await own.kill();
        return pages.map((p) => ({ width: p.width, height: p.height, regions: [] }));
      },
      async close() {},
    };
    try {
      const rec = await svc.submit({ bytes: makeTextPdf(1) });
      const processor = processorWith(killer, 0, svc);
      const err = await processor.processPages(rec.id, [1], true).catch((e: unknown) => e);
      processor.close();
      expect(err).toMatchObject({ code: 'queue_unavailable' });
      expect(await svc.deps.store.head(objectKeys.pageError(rec.id, 1))).toBeNull(); // not failed for good
    } finally {
      own = await startEmbeddedRedis({ dir: redisDir, port: own.port });
      await ownQueue.close();
      conn.disconnect();
      await own.stop();
      await fs.rm(redisDir, { recursive: true, force: true });
    }
  });
});
