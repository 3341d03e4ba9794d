import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, RedisKeys, RocheError, TERMINAL_STATES, type RgbImage } from '@roche/core';
import type { LayoutEngine } from '@roche/inference';
import { JobService } from '@roche/jobs';
import { bullIds, createRedis, DocumentQueue, JobStore, PagePayload, pageGroups, pagesOf } from '@roche/queue';
import { FsObjectStore } from '@roche/storage';
import { createWorkers, type RocheWorkers } from '@roche/worker';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as mupdf from 'mupdf';
import { makeTextPdf } from './support/documents.js';

/** A PDF whose page N is 200 + 10·N points wide: the engine tells pages apart by their width at 72 dpi. */
function pdfOfWidths(pages: number): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  for (let n = 1; n <= pages; n++)
    doc.insertPage(-1, doc.addPage([0, 0, 200 + 10 * n, 300], 0, res, `BT /F1 12 Tf 20 250 Td (Page ${n}) Tj ET`));
  return Buffer.from(doc.saveToBuffer('compress').asUint8Array());
}
const pageOfWidth = (w: number) => (w - 200) / 10;

describe('page jobs holding several pages', () => {
  it('payloads, ids and groups', () => {
    // A one-page payload queued by a version before page groups is still read.
    expect(PagePayload.parse({ jobId: 'j', page: 3 })).toEqual({ jobId: 'j', pages: [3] });
    expect(PagePayload.parse({ jobId: 'j', pages: [2, 5] })).toEqual({ jobId: 'j', pages: [2, 5] });
    expect(() => PagePayload.parse({ jobId: 'j', pages: [] })).toThrow();
    expect(pageGroups([1, 2, 3, 5, 8, 9, 10], 3)).toEqual([[1, 2, 3], [5, 8, 9], [10]]);
    expect(pageGroups([4], 3)).toEqual([[4]]);
    expect(bullIds.pages('abc', [7])).toBe('abc-p7'); // the one-page id of older versions
    expect(bullIds.pages('abc', [5, 8, 9])).toBe('abc-p5+3');
    expect(pagesOf('roche:pages:abc-p5+3')).toBe(3);
    expect(pagesOf('roche:pages:abc-p7')).toBe(1);
  });

  describe('over real Redis, a real object store and BullMQ workers', () => {
    let redis: Redis;
    let connection: Redis;
    let dir: string;
    let queue: DocumentQueue;
    let service: JobService;
    let workers: RocheWorkers;
    let startWorkers: () => RocheWorkers;
    /** How often each (job, page) reached the engine. */
    const analyzed = new Map<string, number>();
    /** Pages whose first analysis fails with a retryable error. */
    const failOnce = new Set<string>();
    /** Pages that fail for good (a bad page: not retryable). */
    const failAlways = new Set<string>();
    let delayMs = 0;
    let current = '';

    beforeAll(async () => {
      redis = createRedis(inject('redisUrl'));
      connection = createRedis(inject('redisUrl'));
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-groups-'));
      const prefix = `groups${Date.now()}`;
      const config = loadConfig({
        REDIS_URL: inject('redisUrl'),
        ROCHE_PDF_DPI: '72',
        ROCHE_WORKER_CONCURRENCY: '2',
        ROCHE_RENDER_THREADS: '0',
      });
      queue = new DocumentQueue(inject('redisUrl'), prefix, 3, 3);
      service = new JobService({ config, store: new FsObjectStore(dir), jobs: new JobStore(redis, new RedisKeys(prefix)), queue });
      // The engine is the one stand-in (what is tested is the queue and the worker around it): it
      // counts the pages that reach it and fails where told to. `current` is the job being tested.
      const engine: LayoutEngine = {
        name: 'counting',
        async analyze(pages: RgbImage[]) {
          // Pages of another test's documents still finishing (not 200 + 10·N wide) are not counted.
          const keys = pages.filter((p) => Number.isInteger(pageOfWidth(p.width))).map((p) => `${current}:${pageOfWidth(p.width)}`);
          for (const k of keys) analyzed.set(k, (analyzed.get(k) ?? 0) + 1); // counted when it starts
          await new Promise((r) => setTimeout(r, delayMs));
          for (const k of keys) {
            if (failOnce.delete(k)) throw new RocheError('inference_failed', `${k} fails once`, { retryable: true });
            if (failAlways.has(k)) throw new RocheError('inference_failed', `${k} cannot be analyzed`, { retryable: false });
          }
          return pages.map((p) => ({ width: p.width, height: p.height, regions: [] }));
        },
        async close() {},
      };
      startWorkers = () => createWorkers(service, { engine: () => engine, version: '' }, { connection, prefix, config });
      workers = startWorkers();
    });
    afterAll(async () => {
      await workers.close(1000);
      await queue.close();
      await redis.quit();
      await connection.quit();
      await fs.rm(dir, { recursive: true, force: true });
    });

    const until = async (id: string, done: (r: Awaited<ReturnType<JobService['get']>>) => boolean, ms = 60_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const r = await service.get(id);
        if (done(r)) return r;
        if (Date.now() > end) throw new Error(`job ${id} still ${r.state}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const pageJobsOf = async (id: string) =>
      (await queue.pages.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'])).filter(
        (j) => (j.data as { jobId: string }).jobId === id,
      );

    it('a page failing retryably fails its group once; the retry redoes only that page, not the stored one nor the bad one', async () => {
      current = 'a';
      failOnce.add('a:2');
      failAlways.add('a:3');
      const rec = await service.submit({ bytes: pdfOfWidths(9), options: { pages: '1-7' } });
      const end = await until(rec.id, (r) => TERMINAL_STATES.has(r.state));
      expect(end.state).toBe('partial');
      expect([end.pagesDone, end.pagesFailed]).toEqual([6, 1]);
      const jobs = await pageJobsOf(rec.id);
      expect(jobs.map((j) => j.id).sort()).toEqual([`${rec.id}-p1+3`, `${rec.id}-p4+3`, `${rec.id}-p7`].sort());
      expect(jobs.find((j) => j.id === `${rec.id}-p1+3`)!.attemptsMade).toBeGreaterThanOrEqual(1);
      // A group of one is queued in the one-page form that workers of every version read.
      expect(jobs.find((j) => j.id === `${rec.id}-p7`)!.data).toEqual({ jobId: rec.id, page: 7 });
      const counts = Array.from({ length: 9 }, (_, i) => analyzed.get(`a:${i + 1}`) ?? 0);
      expect(counts).toEqual([1, 2, 1, 1, 1, 1, 1, 0, 0]);
      const result = await service.result(end);
      expect(result.pages.map((p) => p.page)).toEqual([1, 2, 4, 5, 6, 7]);
      expect(result.errors).toEqual([{ page: 3, code: 'inference_failed', message: 'a:3 cannot be analyzed' }]);
    });

    it("a document's later round joins the line when the group a round before it starts", async () => {
      current = 'd';
      const rec = await service.submit({ bytes: pdfOfWidths(12) }); // groups of 3: 9 pages in the first round
      const end = await until(rec.id, (r) => TERMINAL_STATES.has(r.state));
      expect([end.state, end.pagesDone]).toEqual(['succeeded', 12]);
      const jobs = new Map((await pageJobsOf(rec.id)).map((j) => [j.id!, j]));
      expect(jobs.get(`${rec.id}-p1+3`)!.data).toEqual({ jobId: rec.id, pages: [1, 2, 3], next: `${rec.id}-p10+3` });
      // Queued in BullMQ's prioritized set (round 1), moved to the wait list by the worker that took p1+3.
      expect(jobs.get(`${rec.id}-p10+3`)!.opts.priority).toBe(1);
      expect(jobs.get(`${rec.id}-p10+3`)!.priority).toBe(0);
      expect(jobs.get(`${rec.id}-p4+3`)!.data.next).toBeUndefined();
    });

    it('cancel reports the pages of the queue jobs it removed', async () => {
      delayMs = 150;
      try {
        current = 'b';
        const rec = await service.submit({ bytes: makeTextPdf(30) });
        await until(rec.id, (r) => (r.pagesDone ?? 0) > 0);
        const { record, pagesRemoved } = await service.cancel(rec.id);
        expect(record.state).toBe('canceled');
        // Every page is either in a removed job or in one still known to the queue (active or done).
        const left = await pageJobsOf(rec.id);
        expect(pagesRemoved).toBeGreaterThan(0);
        expect(pagesRemoved % 3).toBe(0);
        expect(pagesRemoved + left.reduce((s, j) => s + pagesOf(j.id!), 0)).toBe(30);
      } finally {
        delayMs = 0;
      }
    });

    it('a stopping worker ends with the pages it started and hands the rest of their jobs back, without spending an attempt', async () => {
      delayMs = 400;
      try {
        current = 'c';
        const rec = await service.submit({ bytes: pdfOfWidths(6) }); // two jobs of 3 pages, 2 pages in work at once
        const started = () => [...analyzed.keys()].filter((k) => k.startsWith('c:')).length;
        for (let i = 0; i < 200 && started() < 2; i++) await new Promise((r) => setTimeout(r, 25));
        await workers.close(30_000);
        // Only the two pages in work when it stopped were analyzed; the job waits for a worker.
        expect(started()).toBe(2);
        const mid = await service.get(rec.id);
        expect([mid.state, mid.pagesDone]).toEqual(['running', 2]);
        const back = await pageJobsOf(rec.id);
        expect(back.map((j) => j.attemptsMade)).toEqual([0, 0]);
        workers = startWorkers();
        const end = await until(rec.id, (r) => TERMINAL_STATES.has(r.state));
        expect([end.state, end.pagesDone]).toEqual(['succeeded', 6]);
        expect(Array.from({ length: 6 }, (_, i) => analyzed.get(`c:${i + 1}`))).toEqual([1, 1, 1, 1, 1, 1]);
      } finally {
        delayMs = 0;
      }
    });
  });
});
