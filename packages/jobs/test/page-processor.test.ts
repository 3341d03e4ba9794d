import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { objectKeys, RedisKeys, type PageTextLayer, type RgbImage } from '@roche/core';
import type { AnalyzeOptions, LayoutEngine } from '@roche/inference';
import { createRedis, DocumentQueue, JobStore } from '@roche/queue';
import { FsObjectStore } from '@roche/storage';
import type { Redis } from 'ioredis';
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

  // Reading a PDF page's text layer costs about as much as rendering it; only engines that use it pay.
  it.each([
    [true, 'gets the PDF text layer'],
    [undefined, 'is not given one, and none is read'],
  ])('an engine with readsTextLayer %s %s', async (reads, _what) => {
    const seen: Array<PageTextLayer | null | undefined> = [];
    const engine = recordingEngine(reads, seen);
    const processor = new PageProcessor(
      service,
      { engine: () => engine, version: '' },
      {
        limits,
        worker: {
          concurrency: 1,
          attempts: 1,
          ortIntraOpThreads: 1,
          documentCache: 2,
          lockMs: 30_000,
          metricsPort: 0,
          shutdownGraceMs: 1000,
        },
      },
    );
    const rec = await service.submit({ bytes: makeTextPdf(1), options: { overlays: false } });
    expect(await processor.process(rec.id, 1, true)).toBe('done');
    processor.close();
    expect(seen).toHaveLength(1);
    if (reads) expect(seen[0]?.lines.length).toBeGreaterThan(0);
    else expect(seen[0]).toBeNull();
    expect(await service.deps.store.head(objectKeys.page(rec.id, 1))).not.toBeNull();
  });
});
