import { isOutage, type Config } from '@roche/core';
import { PageProcessor, type EngineSource, type JobService } from '@roche/jobs';
import { bullTelemetry, logger } from '@roche/telemetry';
import { AssemblePayload, ExpirePayload, PagePayload, QUEUES } from '@roche/queue';
import { Worker, type ConnectionOptions } from 'bullmq';
import sharp from 'sharp';

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
 * documents mixed) run `config.worker.concurrency` at a time so an engine that batches sees pages
 * of several documents at once; document jobs settle jobs and expire old ones. A crashed worker's
 * active jobs come back through BullMQ's stalled-job check.
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
  // While Triton or the store is down, pages go back to the queue without spending an attempt and
  // this worker stops taking new ones for a while, longer as the outage lasts (1 s doubling to 15 s).
  let outageWaitMs = 0;
  const pages: Worker = new Worker(
    QUEUES.pages,
    async (job) => {
      const { jobId, page } = PagePayload.parse(job.data);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        const outcome = await processor.process(jobId, page, last);
        outageWaitMs = 0;
        return outcome;
      } catch (e) {
        if (!isOutage(e)) throw e;
        outageWaitMs = Math.min(15_000, Math.max(1_000, outageWaitMs * 2));
        log.warn({ jobId, page, err: (e as Error).message, pauseMs: outageWaitMs }, 'page waits for an outage to end');
        await pages.rateLimit(outageWaitMs);
        throw Worker.RateLimitError();
      }
    },
    {
      ...common,
      concurrency: opts.config.worker.concurrency,
      // BullMQ honours a manual rate limit only when a limiter is set; this one never limits by itself.
      limiter: { max: 1_000_000, duration: 1000 },
    },
  );
  const documents = new Worker(
    QUEUES.documents,
    async (job) => {
      if (job.name === 'expire') return jobs.expire(ExpirePayload.parse(job.data).jobId);
      const { jobId } = AssemblePayload.parse(job.data);
      processor.forget(jobId);
      return jobs.settle(jobId);
    },
    { ...common, concurrency: 2 },
  );
  for (const w of [pages, documents]) w.on('error', (e) => log.error({ queue: w.name, err: e.message }, 'worker error'));
  return {
    pages,
    documents,
    processor,
    async close(graceMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
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
