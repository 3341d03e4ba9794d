import { createHash } from 'node:crypto';
import { RocheError, type RedisKeys } from '@roche/core';
import { LuaScript } from '@roche/queue';
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

/** Deletes the key only while it still names job ARGV[1] (another request may have taken it since). */
const RELEASE = new LuaScript(
  `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).jobId == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  1,
);

export type IdempotentOutcome<T> = { replayed: boolean; value: T };
type Claimed<T> = { replayed: false; value: T } | { replayed: true; jobId: string };

/**
 * `Idempotency-Key` for submits, per tenant, kept 24 h. The first request claims the key with
 * SET NX before doing anything, so concurrent identical requests create one job: the others wait
 * for the first to finish and replay its job. The same key with a different body is a conflict.
 * A key whose job no longer exists (deleted, or expired under a retention shorter than the key's
 * 24 h) is released, and the request creates a job as a first one would: a retry must not be
 * refused for a day because of what happened to the job meanwhile.
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

  /**
   * `create` makes the job of a first request; `load` reads the job a replay names (null: gone).
   * A gone job releases the key and the request runs as new, once: a key taken again meanwhile
   * whose job is gone too is a conflict rather than a loop.
   */
  async run<T extends { id: string }>(
    tenant: string,
    key: string,
    fingerprint: string,
    create: () => Promise<T>,
    load: (jobId: string) => Promise<T | null>,
  ): Promise<IdempotentOutcome<T>> {
    for (let released = false; ; released = true) {
      const out = await this.claim(tenant, key, fingerprint, create);
      if (!out.replayed) return out;
      const value = await load(out.jobId);
      if (value) return { replayed: true, value };
      if (released) throw new RocheError('conflict', `the job created with this Idempotency-Key (${out.jobId}) no longer exists`);
      await RELEASE.run(this.redis, [this.key(tenant, key)], [out.jobId]);
    }
  }

  private async claim<T extends { id: string }>(
    tenant: string,
    key: string,
    fingerprint: string,
    create: () => Promise<T>,
  ): Promise<Claimed<T>> {
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
        return this.claim(tenant, key, fingerprint, create);
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
