import {
  commonLabel,
  isOutage,
  Slots,
  objectKeys,
  PageResult,
  RocheError,
  TERMINAL_STATES,
  toRocheError,
  type Config,
  type JobRecord,
  type PageTextLayer,
  type RgbImage,
} from '@roche/core';
import { cropRegion, openDocument, recyclePage, RenderPool, renderOverlay } from '@roche/documents';
import type { LayoutEngine } from '@roche/inference';
import { asRedisOutage } from '@roche/queue';
import { NotFoundError } from '@roche/storage';
import { logger, metrics } from '@roche/telemetry';
import { DocumentCache } from './document-cache.js';
import sharp from 'sharp';
import type { JobService } from './job-service.js';

/** A job's state read this recently is used as it is (a page that started at once needs no second read). */
const STATE_FRESH_MS = 50;

/** `handed-back`: not started because the worker is stopping (`drain`); its queue job goes back to the queue. */
export type PageOutcome = 'done' | 'failed' | 'skipped' | 'handed-back';

/** The engines of the deployment's models and the configuration version in force (ModelRegistry). */
export interface EngineSource {
  engine(model?: string): LayoutEngine;
  readonly version: string;
}

/**
 * Analyzes pages of jobs: render one page, run the engine, store the page result and its
 * overlay/crops, count it. Documents stay open in a small cache while their pages are pending.
 */
export class PageProcessor {
  readonly docs: DocumentCache;
  /** Bounds the pages in work at once (`worker.concurrency`), whatever queue jobs they came in. */
  private readonly slots: Slots;
  private draining = false;

  constructor(
    private readonly jobs: JobService,
    private readonly models: EngineSource,
    config: Pick<Config, 'limits' | 'worker'>,
  ) {
    const { store } = jobs.deps;
    this.slots = new Slots(config.worker.concurrency);
    this.docs = new DocumentCache(
      config.worker.documentCache,
      async (jobId) => {
        const rec = await jobs.deps.jobs.get(jobId);
        if (!rec) throw new Error(`job ${jobId} vanished`);
        return {
          bytes: await store.get(rec.input.key),
          type: rec.input.type,
          limits: { ...config.limits, dpi: rec.options?.dpi ?? config.limits.dpi },
        };
      },
      // PDF pages render on threads: on the event loop PDFium held it ~20 ms a page.
      config.worker.renderThreads > 0
        ? (b, t, l) => RenderPool.shared(config.worker.renderThreads, config.worker.renderTimeoutMs).open(b, t, l)
        : openDocument,
    );
  }

  /**
   * The pages of one queue job, side by side (an engine that batches gets them together), each as
   * `process` does one. Pages already counted (done, or failed for good by an earlier attempt of the
   * job) are not run again. Every page ends before this returns; then an outage (the queue job waits
   * for it) or else the first failed page's error is thrown, and the retry redoes only the pages
   * neither stored nor counted.
   */
  async processPages(jobId: string, pages: readonly number[], lastAttempt: boolean): Promise<PageOutcome[]> {
    try {
      return await this.processGroup(jobId, pages, lastAttempt);
    } catch (e) {
      throw asRedisOutage(e);
    }
  }

  private async processGroup(jobId: string, pages: readonly number[], lastAttempt: boolean): Promise<PageOutcome[]> {
    const { jobs } = this.jobs.deps;
    // One read of the record for the group's pages (each read is a Redis round trip and a parse, and
    // they added up to a tenth of a page's CPU on a fast GPU); a page that waited for a slot checks
    // the job's state alone before it starts, so a cancel or delete meanwhile skips it.
    const [rec, counted] = await Promise.all([jobs.get(jobId), jobs.countedPages(jobId, pages)]);
    const readAt = performance.now();
    if (!rec || TERMINAL_STATES.has(rec.state)) return pages.map(() => 'skipped');
    if (rec.state === 'queued') await this.jobs.markRunning(rec, this.models.engine(rec.options?.model).name);
    const settled = await Promise.allSettled(
      pages.map((page, i) =>
        counted[i]
          ? Promise.resolve<PageOutcome>('skipped')
          : this.slots.run(async () => {
              if (this.draining) return 'handed-back';
              const state = performance.now() - readAt > STATE_FRESH_MS ? await jobs.state(jobId) : rec.state;
              return !state || TERMINAL_STATES.has(state) ? 'skipped' : this.processOne(rec, page, lastAttempt);
            }),
      ),
    );
    const errors = settled.flatMap((r) => (r.status === 'rejected' ? [asRedisOutage(r.reason)] : []));
    if (errors.length) throw errors.find(isOutage) ?? errors[0];
    return settled.map((r) => (r as PromiseFulfilledResult<PageOutcome>).value);
  }

  /**
   * Throws errors worth retrying (before the last attempt) and outages (always: the caller waits
   * for the dependency without spending an attempt); a page that cannot succeed is recorded as
   * failed so the rest of the document goes on.
   */
  async process(jobId: string, page: number, lastAttempt: boolean): Promise<PageOutcome> {
    return (await this.processPages(jobId, [page], lastAttempt))[0]!;
  }

  private async processOne(rec: JobRecord, page: number, lastAttempt: boolean): Promise<PageOutcome> {
    const jobId = rec.id;
    const { store } = this.jobs.deps;
    if (await this.storedWhole(jobId, page)) {
      // Stored by an earlier attempt that died before counting it.
      await this.jobs.countPage(jobId, page, 'done');
      return 'done';
    }
    try {
      await this.analyze(rec, page);
      await this.jobs.countPage(jobId, page, 'done');
      metrics.pages.inc({ outcome: 'done' });
      return 'done';
    } catch (e) {
      const re = toRocheError(asRedisOutage(e));
      if (isOutage(re)) metrics.pages.inc({ outcome: 'outage' });
      if (isOutage(re)) throw re;
      if (re.retryable && !lastAttempt) {
        logger.warn({ jobId, page, code: re.code, err: re.message }, 'page failed, will be retried');
        throw re;
      }
      // The only trace of why a page failed for good besides its error object: operators read logs.
      logger.warn({ jobId, page, code: re.code, err: re.message }, 'page failed');
      const body = { page, code: re.code, message: re.message };
      await store.put(objectKeys.pageError(jobId, page), JSON.stringify(body), { contentType: 'application/json' }).catch(() => {});
      await this.jobs.countPage(jobId, page, 'failed');
      metrics.pages.inc({ outcome: 'failed' });
      return 'failed';
    }
  }

  /**
   * Whether an earlier attempt stored this page's result whole. Read, not just looked up: a store that
   * lost its connection mid-write may show what it received as the object (s3rver does; S3 and the fs
   * store never do), and a page passed for done on that would fail at assembly. Looked up first: the
   * page is absent in the usual case, and a HEAD is the cheaper way to learn it.
   */
  private async storedWhole(jobId: string, page: number): Promise<boolean> {
    const { store } = this.jobs.deps;
    const key = objectKeys.page(jobId, page);
    if (!(await store.head(key))) return false;
    let bytes: Buffer;
    try {
      bytes = await store.get(key);
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
    try {
      PageResult.parse(JSON.parse(bytes.toString('utf8')));
      return true;
    } catch {
      logger.warn({ jobId, page, bytes: bytes.length }, 'stored page result unreadable (a write cut short): the page is done again');
      return false;
    }
  }

  /**
   * The worker is stopping: from now on pages that have not started are not started (`handed-back`),
   * so a page job of several pages holds the shutdown only for the pages already in work.
   */
  drain(): void {
    this.draining = true;
  }

  /** The job ended: its document need not stay open. */
  forget(jobId: string): void {
    this.docs.forget(jobId);
  }

  close(): void {
    this.docs.close();
  }

  private async analyze(rec: JobRecord, page: number): Promise<void> {
    const engine = this.models.engine(rec.options?.model);
    const stage = metrics.pageStage.startTimer({ stage: 'render' });
    // PDF pages also give their text layer (null for scans) to engines that read it: they skip
    // finding text by pixels. Others never pay for it.
    const withText = engine.readsTextLayer === true;
    const [image, textLayer] = await this.docs.use(
      rec.id,
      async (doc) => [await doc.renderPage(page - 1), withText && doc.textLayer ? await doc.textLayer(page - 1) : null] as const,
    );
    stage();
    try {
      await this.analyzeRendered(rec, engine, page, image, textLayer);
    } finally {
      // Everything that reads the pixels (engine, preview, overlay, crops) has finished.
      recyclePage(image);
    }
  }

  private async analyzeRendered(
    rec: JobRecord,
    engine: LayoutEngine,
    page: number,
    image: RgbImage,
    textLayer: PageTextLayer | null,
  ): Promise<void> {
    const { store } = this.jobs.deps;
    const configVersion = this.models.version;
    let layout;
    let stage = metrics.pageStage.startTimer({ stage: 'analyze' });
    try {
      [layout] = await engine.analyze([image], { overrides: rec.options?.overrides, textLayers: [textLayer] });
      stage();
    } catch (e) {
      if (e instanceof RocheError) throw e;
      throw new RocheError('inference_failed', `layout engine ${engine.name} failed: ${(e as Error).message}`, {
        cause: e,
        retryable: true,
      });
    }
    if (!layout) throw new RocheError('inference_failed', 'engine returned no page', { retryable: true });
    const result: PageResult = {
      page,
      width: layout.width,
      height: layout.height,
      regions: layout.regions,
      ...(configVersion ? { configVersion } : {}),
    };
    stage = metrics.pageStage.startTimer({ stage: 'store' });
    if (rec.options?.previews) {
      const key = objectKeys.preview(rec.id, page);
      const jpeg = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
        .jpeg({ quality: 80 })
        .toBuffer();
      await store.put(key, jpeg, { contentType: 'image/jpeg' });
      result.preview = objectKeys.href(rec.id, key);
    }
    if (rec.options?.overlays) {
      const key = objectKeys.overlay(rec.id, page);
      await store.put(key, await renderOverlay(image, layout.regions), { contentType: 'image/png' });
      result.overlay = objectKeys.href(rec.id, key);
    }
    const wanted = new Set(rec.options?.crops ?? []);
    if (wanted.size) {
      result.crops = [];
      for (const r of layout.regions) {
        if (!wanted.has(r.label) && !wanted.has(commonLabel(r.label))) continue;
        const key = objectKeys.crop(rec.id, page, r.order, r.label);
        await store.put(key, await cropRegion(image, r.box), { contentType: 'image/png' });
        result.crops.push({ order: r.order, label: r.label, href: objectKeys.href(rec.id, key) });
      }
    }
    // Written last: its presence means the page is complete.
    await store.put(objectKeys.page(rec.id, page), JSON.stringify(PageResult.parse(result)), { contentType: 'application/json' });
    stage();
  }
}
