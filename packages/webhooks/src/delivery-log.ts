import { metrics } from '@roche/telemetry';
import type { RedisKeys } from '@roche/core';
import type { Redis } from 'ioredis';
import { Delivery } from './schemas.js';

const MAX_ENTRIES = 500;

/** Every delivery attempt of a job's webhooks, oldest first, readable through the API. */
export class DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private key(jobId: string) {
    return this.keys.jobDeliveries(jobId);
  }

  async append(jobId: string, d: Delivery): Promise<void> {
    metrics.webhookDeliveries.inc({ outcome: d.outcome });
    await this.redis
      .multi()
      .rpush(this.key(jobId), JSON.stringify(Delivery.parse(d)))
      .ltrim(this.key(jobId), -MAX_ENTRIES, -1)
      .expire(this.key(jobId), 30 * 24 * 3600)
      .exec();
  }

  async list(jobId: string): Promise<Delivery[]> {
    return (await this.redis.lrange(this.key(jobId), 0, -1)).map((s) => Delivery.parse(JSON.parse(s)));
  }

  async delete(jobId: string): Promise<void> {
    await this.redis.del(this.key(jobId));
  }
}
