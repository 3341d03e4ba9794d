import { RocheError, type Config, type RedisKeys } from '@roche/core';
import { LuaScript } from '@roche/queue';
import type { Redis } from 'ioredis';

/**
 * Admits a job when the tenant's and the fleet's pages in flight and the tenant's documents today
 * stay within limits, and counts it, atomically. KEYS: tenant pages, global pages, tenant docs
 * today, admitted hash. ARGV: job id, pages, tenant limit, global limit, docs limit, day TTL s, tenant.
 * Returns 0 when admitted, else 1/2/3 for the limit that refused.
 */
const ADMIT = new LuaScript(
  `
local pages = tonumber(ARGV[2])
local tl, gl, dl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then return 0 end
if tl > 0 and tonumber(redis.call('GET', KEYS[1]) or '0') + pages > tl then return 1 end
if gl > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') + pages > gl then return 2 end
if dl > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') + 1 > dl then return 3 end
redis.call('INCRBY', KEYS[1], pages)
redis.call('INCRBY', KEYS[2], pages)
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[6])
redis.call('HSET', KEYS[4], ARGV[1], cjson.encode({ARGV[7], pages}))
return 0
`,
  4,
);

/** Gives back a job's pages once, however often it is called. KEYS: admitted hash, tenant pages, global pages; ARGV[1] = job id. */
const RELEASE = new LuaScript(
  `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local pages = cjson.decode(v)[2]
if tonumber(redis.call('DECRBY', KEYS[2], pages)) <= 0 then redis.call('DEL', KEYS[2]) end
if tonumber(redis.call('DECRBY', KEYS[3], pages)) <= 0 then redis.call('DEL', KEYS[3]) end
return pages
`,
  3,
);

/** Seconds until the next UTC midnight, when the daily document budget renews. */
const secondsToMidnight = (now: number) => Math.ceil((Date.UTC(...utcDate(now), 24) - now) / 1000);
const utcDate = (now: number): [number, number, number] => {
  const d = new Date(now);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
};

/** Seconds a refused client should wait before trying again when pages in flight are the limit. */
export const BUSY_RETRY_AFTER_SECONDS = 30;

/**
 * Admission control in Redis, so it holds across API replicas: bounds the backlog (pages of
 * unfinished jobs, per tenant and in total) and the documents a tenant submits per day. A refused
 * submit is a 429 with a `Retry-After` hint; nothing of it is stored.
 */
export class Admission {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: Config['admission'],
  ) {}

  async admit(jobId: string, tenant: string, pages: number, now = Date.now()): Promise<void> {
    const day = new Date(now).toISOString().slice(0, 10);
    const { tenantPagesInFlight, pagesInFlight, tenantDocsPerDay } = this.limits;
    const k = this.keys;
    const refused = (await ADMIT.run(
      this.redis,
      [k.tenantPagesInFlight(tenant), k.pagesInFlight(), k.tenantDocsOnDay(tenant, day), k.admitted()],
      [jobId, String(pages), String(tenantPagesInFlight), String(pagesInFlight), String(tenantDocsPerDay), String(2 * 86_400), tenant],
    )) as number;
    if (refused === 0) return;
    if (refused === 3) {
      const retryAfterSeconds = secondsToMidnight(now);
      throw new RocheError('quota_exceeded', `tenant ${tenant} has submitted its ${tenantDocsPerDay} documents for today`, {
        details: { limit: 'documents_per_day', max: tenantDocsPerDay, retryAfterSeconds },
      });
    }
    const [limit, max] = refused === 1 ? ['tenant_pages_in_flight', tenantPagesInFlight] : ['pages_in_flight', pagesInFlight];
    throw new RocheError(
      'quota_exceeded',
      refused === 1
        ? `tenant ${tenant} already has ${max} pages or more in flight; wait for jobs to finish`
        : `the service is at its backlog limit of ${max} pages; try again later`,
      { details: { limit, max, pages, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS } },
    );
  }

  /** Releases a job's pages when it ends or is deleted (once; later calls do nothing). */
  async release(jobId: string): Promise<void> {
    const k = this.keys;
    const v = await this.redis.hget(k.admitted(), jobId);
    if (!v) return;
    const [tenant] = JSON.parse(v) as [string, number];
    await RELEASE.run(this.redis, [k.admitted(), k.tenantPagesInFlight(tenant), k.pagesInFlight()], [jobId]);
  }

  async inFlight(tenant: string): Promise<{ tenant: number; total: number }> {
    const [t, g] = await this.redis.mget(this.keys.tenantPagesInFlight(tenant), this.keys.pagesInFlight());
    return { tenant: Number(t ?? 0), total: Number(g ?? 0) };
  }
}
