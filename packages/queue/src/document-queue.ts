import { FlowProducer, Job, PRIORITY_LIMIT, Queue, type MinimalQueue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { closeConnection, createRedis } from './connection.js';
import { bullTelemetry } from '@roche/telemetry';
import { AssemblePayload, bullIds, PagePayload, pagesOf, QUEUES } from './names.js';

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

/** Pages of a document queued ahead of other documents' before they get their turn (see `turn`). */
export const FAIR_ROUND_PAGES = 8;

/** Consecutive runs of at most `n` of `pages` (in their order). */
export function pageGroups(pages: readonly number[], n: number): number[][] {
  const size = Math.max(1, Math.floor(n));
  const out: number[][] = [];
  for (let i = 0; i < pages.length; i += size) out.push(pages.slice(i, i + size));
  return out;
}

/**
 * Producer side: a document becomes a BullMQ flow, one `assemble` parent in the documents queue
 * waiting for one child per group of `pagesPerJob` pages in the pages queue (each queue job costs a
 * few Redis scripts whatever it holds; a group is worth it when pages are cheap, as on a GPU). Ids
 * derive from the Roche job id, so adding the same document twice is a no-op.
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
    readonly pagesPerJob = 1,
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
    const groups = pageGroups(pages, this.pagesPerJob);
    // Each group lets the group a round later into the line (`releaseTurn`).
    const perRound = this.groupsPerRound;
    await withTimeout(
      this.flows.add({
        name: 'assemble',
        queueName: QUEUES.documents,
        data: AssemblePayload.parse({ jobId }),
        opts: { jobId: bullIds.assemble(jobId), ...retry, ...keep },
        children: groups.map((group, i) => ({
          name: 'page',
          queueName: QUEUES.pages,
          data: {
            // A group of one keeps the one-page form, which workers of every version read.
            ...(group.length === 1 ? { jobId, page: group[0]! } : { jobId, pages: group }),
            ...(groups[i + perRound] ? { next: bullIds.pages(jobId, groups[i + perRound]!) } : {}),
          } satisfies z.input<typeof PagePayload>,
          // A page job that dies for good (e.g. stalled too often) must not leave the parent waiting
          // forever: the parent still assembles, and reports its pages as missing.
          opts: {
            jobId: bullIds.pages(jobId, group),
            ...retry,
            ...keep,
            ignoreDependencyOnFailure: true,
            ...this.turn(i),
          },
        })),
      }),
      timeoutMs,
      'the new job',
    );
  }

  /** Page groups in a round: FAIR_ROUND_PAGES pages, rounded up to whole groups. */
  private get groupsPerRound(): number {
    return Math.ceil(FAIR_ROUND_PAGES / this.pagesPerJob);
  }

  /**
   * A page group's turn by its place in its document, in rounds of FAIR_ROUND_PAGES pages. A
   * document's first round joins BullMQ's wait list, which workers take first and in order (and
   * where KEDA counts waiting jobs); later rounds wait in BullMQ's prioritized set, by their round,
   * and each group joins the wait list's tail when the group one round before it starts
   * (`releaseTurn`). So every document keeps about one round in line, documents take turns round by
   * round (a 2,000-page PDF of 16-second pages held every worker for hours while a one-page document
   * waited behind it; now that one waits for at most a round per document ahead of it), a long
   * document moves on however many new ones arrive, and a short one runs in one piece, its document
   * open on one worker as before. Idle workers take later rounds early, by round.
   */
  private turn(groupIndex: number): { priority?: number } {
    const round = Math.floor(groupIndex / this.groupsPerRound);
    return round > 0 ? { priority: Math.min(round, PRIORITY_LIMIT) } : {};
  }

  /**
   * Removes page jobs not yet started (after a cancel), in one step on the flow's parent: workers skip
   * a canceled job's pages in a moment, so a page-by-page loop would lose the race. Active ones
   * notice the cancel themselves. Returns how many pages the removed jobs held.
   */
  async removePending(jobId: string): Promise<number> {
    const parent = await Job.fromId(this.documents, bullIds.assemble(jobId));
    if (!parent) return 0;
    // Unprocessed = not completed yet, active ones included: what is gone afterwards was removed.
    const unprocessed = async () => {
      const keys = new Set<string>();
      let cursor = 0;
      do {
        const page = await parent.getDependencies({ unprocessed: { cursor, count: 1000 } });
        for (const k of page.unprocessed ?? []) keys.add(k);
        cursor = page.nextUnprocessedCursor ?? 0;
      } while (cursor);
      return keys;
    };
    const before = await unprocessed();
    await parent.removeUnprocessedChildren();
    const after = await unprocessed();
    // A child that finished meanwhile also left the unprocessed set, but was not removed: only those
    // whose job key is gone count (without this a group completing during a cancel was counted twice).
    const gone = [...before].filter((k) => !after.has(k));
    if (!gone.length) return 0;
    const exists = await Promise.all(gone.map((k) => this.connection.exists(k)));
    return gone.reduce((sum, k, i) => sum + (exists[i] ? 0 : pagesOf(k)), 0);
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
    // The shared connection first, until it has ended: a BullMQ queue closed while its start is still
    // waiting on this connection drops its error listener, and the start's failure, once this connection
    // closed, became an unhandled rejection ("Connection is closed.", a process stopped right after start).
    await closeConnection(this.connection);
    await this.flows.close();
    await this.documents.close();
    await this.pages.close();
  }
}

/**
 * Moves a later round's page group (`PagePayload.next`) from the prioritized set to the wait list's
 * tail: called when the group a round before it starts. Nothing happens when it is already in line,
 * running, done or removed (a cancel), so a retried or handed-back group does not move it again.
 */
export async function releaseTurn(queue: MinimalQueue, bullId: string): Promise<void> {
  const job = await Job.fromId(queue, bullId);
  if (!job?.priority) return;
  // Its wait in line starts now (`waitingSince`); stamped before the move, so no released job is
  // in line without it. A job removed meanwhile (a cancel) has nothing left to stamp or move.
  await job.updateData({ ...job.data, releasedAt: Date.now() }).catch(() => {});
  await job.changePriority({ priority: 0 });
}

/**
 * When a waiting job joined the wait list: its creation, or for a later round of a document's pages
 * its release (`releaseTurn`), so the oldest-waiting figure reads how long work has been in line,
 * not how long a long document has been running.
 */
export function waitingSince(job: Pick<Job, 'timestamp' | 'data'>): number {
  const releasedAt = (job.data as { releasedAt?: unknown } | undefined)?.releasedAt;
  return typeof releasedAt === 'number' ? Math.max(job.timestamp, releasedAt) : job.timestamp;
}
