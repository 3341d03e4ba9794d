import type { Config } from '@roche/core';
import type { LayoutEngine } from '@roche/inference';
import { PageProcessor, type JobService } from '@roche/jobs';
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
  close(): Promise<void>;
}

/**
 * The two BullMQ consumers of a worker process, adapters over the job service. Page jobs (all
 * documents mixed) run `config.worker.concurrency` at a time so an engine that batches sees pages
 * of several documents at once; document jobs settle jobs and expire old ones. A crashed worker's
 * active jobs come back through BullMQ's stalled-job check.
 */
export function createWorkers(jobs: JobService, engine: LayoutEngine, opts: WorkerOptions): RocheWorkers {
  // Every page is a new image: libvips' operation cache would only hold memory.
  sharp.cache(false);
  const processor = new PageProcessor(jobs, engine, opts.config);
  const lock = opts.config.worker.lockMs;
  const common = {
    connection: opts.connection,
    prefix: opts.prefix,
    lockDuration: lock,
    stalledInterval: Math.max(1000, Math.round(lock / 2)),
    maxStalledCount: 2,
  };
  const pages = new Worker(
    QUEUES.pages,
    async (job) => {
      const { jobId, page } = PagePayload.parse(job.data);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return processor.process(jobId, page, last);
    },
    { ...common, concurrency: opts.config.worker.concurrency },
  );
  const documents = new Worker(
    QUEUES.documents,
    async (job) => {
      if (job.name === 'expire') return jobs.expire(ExpirePayload.parse(job.data).jobId);
      const { jobId } = AssemblePayload.parse(job.data);
      processor.forget(jobId);
      return jobs.settle(jobId, engine.name);
    },
    { ...common, concurrency: 2 },
  );
  for (const w of [pages, documents]) w.on('error', (e) => console.error(`[worker] ${w.name}:`, e.message));
  return {
    pages,
    documents,
    processor,
    async close() {
      await Promise.all([pages.close(), documents.close()]);
      processor.close();
    },
  };
}
