import { openDocument } from '@roche/documents';
import { AssemblePayload, ExpirePayload, PagePayload, QUEUES } from '@roche/queue';
import { Worker, type ConnectionOptions } from 'bullmq';
import sharp from 'sharp';
import { assembleDocument, expireJob } from './assemble.js';
import type { WorkerDeps } from './deps.js';
import { DocumentCache } from './document-cache.js';
import { processPage } from './process-page.js';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
}

export interface RocheWorkers {
  pages: Worker;
  documents: Worker;
  docs: DocumentCache;
  close(): Promise<void>;
}

/**
 * The two BullMQ consumers of a worker process. Page jobs (all documents mixed) run
 * `config.worker.concurrency` at a time so an engine that batches sees pages of several
 * documents at once; document jobs assemble results and expire old jobs. A crashed worker's
 * active jobs come back through BullMQ's stalled-job check.
 */
export function createWorkers(deps: WorkerDeps, opts: WorkerOptions): RocheWorkers {
  // Every page is a new image: libvips' operation cache would only hold memory.
  sharp.cache(false);
  const docs = new DocumentCache(
    deps.config.worker.documentCache,
    async (jobId) => {
      const rec = await deps.jobs.get(jobId);
      if (!rec) throw new Error(`job ${jobId} vanished`);
      return {
        bytes: await deps.store.get(rec.input.key),
        type: rec.input.type,
        limits: { ...deps.config.limits, dpi: rec.options?.dpi ?? deps.config.limits.dpi },
      };
    },
    openDocument,
  );
  const lock = deps.config.worker.lockMs;
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
      return processPage(deps, docs, jobId, page, last);
    },
    { ...common, concurrency: deps.config.worker.concurrency },
  );
  const documents = new Worker(
    QUEUES.documents,
    async (job) => {
      if (job.name === 'expire') return expireJob(deps, ExpirePayload.parse(job.data).jobId);
      const { jobId } = AssemblePayload.parse(job.data);
      docs.forget(jobId);
      return assembleDocument(deps, jobId);
    },
    { ...common, concurrency: 2 },
  );
  for (const w of [pages, documents]) w.on('error', (e) => console.error(`[worker] ${w.name}:`, e.message));
  return {
    pages,
    documents,
    docs,
    async close() {
      await Promise.all([pages.close(), documents.close()]);
      docs.close();
    },
  };
}
