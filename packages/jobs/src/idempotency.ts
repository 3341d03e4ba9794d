import { createHash } from 'node:crypto';
import { RocheError, type RedisKeys } from '@roche/core';
import type { Redis } from 'ioredis';

const TTL_SECONDS = 24 * 3600;
const PENDING_TTL_SECONDS = 120;

export function requestFingerprint(parts: Array<string | Buffer | undefined>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const b = p === undefined ? Buffer.alloc(0) : Buffer.isBuffer(p) ? p : Buffer.from(p);
    h.update(String(b.length)).update(':').update(b);
  }
  return h.digest('hex');
}

export type IdempotentOutcome<T> = { replayed: false; value: T } | { replayed: true; jobId: string };

/**
 * `Idempotency-Key` for submits, per tenant, kept 24 h. The first request claims the key with
 * SET NX before doing anything, so concurrent identical requests create one job: the others wait
 * for the first to finish and replay its job. The same key with a different body is a conflict.
 */
export class Idempotency {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  static validateKey(key: string): void {
    if (!/^[\x21-\x7e]{1,255}$/.test(key))
      throw new RocheError('validation_failed', 'Idempotency-Key must be 1-255 printable ASCII characters');
  }

  private key(tenant: string, key: string) {
    return this.keys.idempotency(tenant, key);
  }

  async run<T extends { id: string }>(
    tenant: string,
    key: string,
    fingerprint: string,
    create: () => Promise<T>,
  ): Promise<IdempotentOutcome<T>> {
    Idempotency.validateKey(key);
    const k = this.key(tenant, key);
    const claimed = await this.redis.set(k, JSON.stringify({ fingerprint }), 'EX', PENDING_TTL_SECONDS, 'NX');
    if (claimed) {
      try {
        const value = await create();
        await this.redis.set(k, JSON.stringify({ fingerprint, jobId: value.id }), 'EX', TTL_SECONDS);
        return { replayed: false, value };
      } catch (e) {
        await this.redis.del(k);
        throw e;
      }
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const raw = await this.redis.get(k);
      if (!raw) {
        // The first request failed and released the key: this one may try.
        return this.run(tenant, key, fingerprint, create);
      }
      const stored = JSON.parse(raw) as { fingerprint: string; jobId?: string };
      if (stored.fingerprint !== fingerprint) {
        throw new RocheError('conflict', 'this Idempotency-Key was used with a different request body', {
          details: { idempotencyKey: key },
        });
      }
      if (stored.jobId) return { replayed: true, jobId: stored.jobId };
      if (Date.now() > deadline)
        throw new RocheError('conflict', 'a request with this Idempotency-Key is still being processed; retry later');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
