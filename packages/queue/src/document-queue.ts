import { FlowProducer, Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from './connection.js';
import { bullTelemetry } from '@roche/telemetry';
import { AssemblePayload, bullIds, PagePayload, QUEUES } from './names.js';

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Producer side: a document becomes a BullMQ flow, one `assemble` parent in the documents queue
 * waiting for one child per page in the pages queue. Ids derive from the Roche job id, so adding
 * the same document twice is a no-op.
 */
export class DocumentQueue {
  readonly documents: Queue;
  readonly pages: Queue;
  private readonly flows: FlowProducer;
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    readonly prefix: string,
    readonly attempts = 3,
  ) {
    // Producers fail fast when Redis is down so the API can answer 503 instead of hanging.
    // Auto-pipelined like the API's main connection; producers issue no blocking commands.
    this.connection = createRedis(redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
    const common = { connection: this.connection, prefix, ...bullTelemetry() };
    this.documents = new Queue(QUEUES.documents, common);
    this.pages = new Queue(QUEUES.pages, common);
    this.flows = new FlowProducer(common);
  }

  async enqueueDocument(jobId: string, pages: number[], timeoutMs = 10_000): Promise<void> {
    const retry = { attempts: this.attempts, backoff: { type: 'exponential', delay: 2_000 } };
    const keep = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };
    await withTimeout(
      this.flows.add({
        name: 'assemble',
        queueName: QUEUES.documents,
        data: AssemblePayload.parse({ jobId }),
        opts: { jobId: bullIds.assemble(jobId), ...retry, ...keep },
        children: pages.map((page) => ({
          name: 'page',
          queueName: QUEUES.pages,
          data: PagePayload.parse({ jobId, page }),
          // A page job that dies for good (e.g. stalled too often) must not leave the parent waiting
          // forever: the parent still assembles, and reports that page as missing.
          opts: { jobId: bullIds.page(jobId, page), ...retry, ...keep, ignoreDependencyOnFailure: true },
        })),
      }),
      timeoutMs,
      'the new job',
    );
  }

  /**
   * Removes page jobs not yet started (after a cancel), in one step on the flow's parent: workers skip
   * a canceled job's pages in a moment, so a page-by-page loop would lose the race. Active ones
   * notice the cancel themselves. Returns how many were removed.
   */
  async removePending(jobId: string): Promise<number> {
    const parent = await Job.fromId(this.documents, bullIds.assemble(jobId));
    if (!parent) return 0;
    const unprocessed = async () => (await parent.getDependenciesCount({ unprocessed: true })).unprocessed ?? 0;
    const before = await unprocessed();
    await parent.removeUnprocessedChildren();
    return Math.max(0, before - (await unprocessed()));
  }

  /** Schedules deletion of a finished job's objects and record. */
  async scheduleExpiry(jobId: string, delayMs: number): Promise<void> {
    await this.documents.add(
      'expire',
      { jobId },
      { jobId: bullIds.expire(jobId), delay: delayMs, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
    );
  }

  async close(): Promise<void> {
    await this.flows.close();
    await this.documents.close();
    await this.pages.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
