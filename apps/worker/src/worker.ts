import { toRocheError } from '@roche/core';
import { DocumentJobPayload, QUEUES } from '@roche/queue';
import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { failJob, processDocument, type ProcessDeps } from './process-document.js';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
}

/**
 * BullMQ consumer of the documents queue. A bad document fails at once (no retry can fix it);
 * infrastructure errors are retried with backoff and fail the job only on the last attempt.
 * A crashed worker's active jobs come back through BullMQ's stalled-job check.
 */
export function createDocumentWorker(deps: ProcessDeps, opts: WorkerOptions): Worker<DocumentJobPayload> {
  const worker = new Worker<DocumentJobPayload>(
    QUEUES.documents,
    async (job) => {
      const { jobId } = DocumentJobPayload.parse(job.data);
      try {
        return await processDocument(deps, jobId);
      } catch (e) {
        const re = toRocheError(e);
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (!re.retryable || last) {
          await failJob(deps, jobId, re);
          throw new UnrecoverableError(`${re.code}: ${re.message}`);
        }
        throw e;
      }
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency, lockDuration: 60_000, maxStalledCount: 2 },
  );
  worker.on('error', (e) => console.error('[worker]', e.message));
  return worker;
}
