import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from './connection.js';
import { DocumentJobPayload, QUEUES } from './names.js';

/** Producer side of the documents queue. The BullMQ job id is the Roche job id, so enqueueing twice is a no-op. */
export class DocumentQueue {
  readonly queue: Queue<DocumentJobPayload>;
  private readonly connection: Redis;

  constructor(redisUrl: string, prefix: string, readonly attempts = 3) {
    // Producers fail fast when Redis is down so the API can answer 503 instead of hanging.
    this.connection = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
    this.queue = new Queue<DocumentJobPayload>(QUEUES.documents, { connection: this.connection, prefix });
  }

  async enqueue(jobId: string, timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not accept the job within ${timeoutMs} ms`)), timeoutMs);
    });
    const add = this.queue.add('analyze', DocumentJobPayload.parse({ jobId }), {
      jobId,
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    try {
      await Promise.race([add, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
