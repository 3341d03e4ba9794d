import { isOutage, type Config } from '@roche/core';
import { PageProcessor, type EngineSource, type JobService } from '@roche/jobs';
import { bullTelemetry, logger } from '@roche/telemetry';
import { AssemblePayload, asRedisOutage, ExpirePayload, PagePayload, QUEUES, releaseTurn } from '@roche/queue';
import { WaitingError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import sharp from 'sharp';
import { OutageBackoff } from './outage-backoff.js';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  config: Pick<Config, 'limits' | 'worker'>;
}

export interface RocheWorkers {
  pages: Worker;
  documents: Worker;
  processor: PageProcessor;
  /** Finishes the pages in hand for up to `graceMs`, then lets go of the rest (their locks expire and another worker takes them). */
  close(graceMs?: number): Promise<void>;
}

/**
 * The two BullMQ consumers of a worker process, adapters over the job service. Page jobs (all
 * documents mixed, each one or a few pages of a document) run with `config.worker.concurrency` pages
 * in work at once so an engine that batches sees pages of several documents at once; document jobs
 * settle jobs and expire old ones. A crashed worker's active jobs come back through BullMQ's
 * stalled-job check.
 */
export function createWorkers(jobs: JobService, models: EngineSource, opts: WorkerOptions): RocheWorkers {
  // Every page is a new image: libvips' operation cache would only hold memory.
  sharp.cache(false);
  const log = logger.child({ component: 'worker' });
  const processor = new PageProcessor(jobs, models, opts.config);
  const lock = opts.config.worker.lockMs;
  const common = {
    ...bullTelemetry(),
    connection: opts.connection,
    prefix: opts.prefix,
    lockDuration: lock,
    stalledInterval: Math.max(1000, Math.round(lock / 2)),
    maxStalledCount: 2,
  };
  // While Triton, the store or Redis is down, jobs go back to the queue without spending an attempt
  // and the worker stops taking new ones for a while (OutageBackoff). Documents too: a job assembled
  // while the store is down must not run out of attempts and stay unsettled forever.
  const outageAware = (worker: () => Worker) => {
    const backoff = new OutageBackoff();
    return async <T>(what: Record<string, unknown>, run: () => Promise<T>): Promise<T> => {
      try {
        const out = await run();
        backoff.succeeded();
        return out;
      } catch (e) {
        if (!isOutage(asRedisOutage(e))) throw e;
        const pauseMs = backoff.failed();
        log.warn({ ...what, err: (e as Error).message, pauseMs }, 'job waits for an outage to end');
        // Needs Redis: while Redis is down the job stays active, then comes back as stalled.
        await worker()
          .rateLimit(pauseMs)
          .catch(() => {});
        throw Worker.RateLimitError();
      }
    };
  };
  // BullMQ honours a manual rate limit only when a limiter is set; this one never limits by itself.
  const limiter = { max: 1_000_000, duration: 1000 };
  const pageOutages = outageAware(() => pages);
  const pages: Worker = new Worker(
    QUEUES.pages,
    async (job, token) => {
      const { jobId, pages: list, next } = PagePayload.parse(job.data);
      // The document's group a round later joins the line now (docs/jobs.md, fan-out), and again once
      // this job ends (a no-op if it already did): a release lost to a Redis error is made then.
      const release = () =>
        next
          ? releaseTurn(pages, next).catch((e: Error) => log.warn({ jobId, next, err: e.message }, 'next round not released'))
          : undefined;
      await release();
      try {
        return await runPages(job, token, jobId, list);
      } finally {
        await release();
      }
    },
    { ...common, concurrency: opts.config.worker.concurrency, limiter },
  );
  async function runPages(job: Job, token: string | undefined, jobId: string, list: number[]) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcomes = await pageOutages({ jobId, pages: list }, () => processor.processPages(jobId, list, last));
    if (outcomes.includes('handed-back')) {
      // Stopping: the job goes back to the queue without spending an attempt; whoever takes it
      // skips the pages this worker stored or counted.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return outcomes;
  }
  const documentOutages = outageAware(() => documents);
  const documents: Worker = new Worker(
    QUEUES.documents,
    async (job) => {
      if (job.name === 'expire') {
        const { jobId } = ExpirePayload.parse(job.data);
        return documentOutages({ jobId, step: 'expire' }, () => jobs.expire(jobId));
      }
      const { jobId } = AssemblePayload.parse(job.data);
      processor.forget(jobId);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return documentOutages({ jobId, step: 'assemble' }, () => jobs.settle(jobId, last));
    },
    { ...common, concurrency: 2, limiter },
  );
  for (const w of [pages, documents]) w.on('error', (e) => log.error({ queue: w.name, err: e.message }, 'worker error'));
  return {
    pages,
    documents,
    processor,
    async close(graceMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
      processor.drain();
      const graceful = Promise.all([pages.close(), documents.close()]);
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
      if ((await Promise.race([graceful, late])) === 'late') {
        log.warn({ graceMs }, 'pages still running at the end of the grace period are handed back');
        await Promise.all([pages.close(true), documents.close(true)]);
      }
      clearTimeout(timer);
      processor.close();
    },
  };
}
