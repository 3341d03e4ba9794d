import type { RedisKeys } from '@roche/core';
import type { Redis } from 'ioredis';

const PENDING_TTL_SECONDS = 300;
const DONE_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Exactly-once job creation per (bucket, key, ETag): the first watcher replica to SET NX the claim
 * creates the job. A replica that dies holding a claim lets it expire so another one retries.
 * A new version of an object (new ETag) is a new claim.
 */
export class DropClaims {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  key(bucket: string, key: string, etag: string): string {
    return this.keys.dropClaim(bucket, key, etag);
  }

  async claim(bucket: string, key: string, etag: string, owner: string): Promise<boolean> {
    return (await this.redis.set(this.key(bucket, key, etag), `pending:${owner}`, 'EX', PENDING_TTL_SECONDS, 'NX')) === 'OK';
  }

  async complete(bucket: string, key: string, etag: string, outcome: string): Promise<void> {
    await this.redis.set(this.key(bucket, key, etag), outcome, 'EX', DONE_TTL_SECONDS);
  }

  async release(bucket: string, key: string, etag: string): Promise<void> {
    await this.redis.del(this.key(bucket, key, etag));
  }

  async get(bucket: string, key: string, etag: string): Promise<string | null> {
    return this.redis.get(this.key(bucket, key, etag));
  }
}
