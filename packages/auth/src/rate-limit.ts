import type { RedisKeys } from '@roche/core';
import { LuaScript } from '@roche/queue';
import type { Redis } from 'ioredis';

/** Counts a request in its one-second window; KEYS[1] = window counter. Returns the count. */
const HIT = new LuaScript(
  `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
return n
`,
  1,
);

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window renews. */
  resetSeconds: number;
}

/**
 * Requests per second per tenant and budget, counted in Redis so the limit holds across API
 * replicas. Fixed one-second windows: one round trip per request, bursts of at most twice the
 * limit across a window edge.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly perSecond: Record<string, number>,
  ) {}

  async hit(tenant: string, budget: string, now = Date.now()): Promise<RateDecision> {
    const limit = this.perSecond[budget] ?? 0;
    if (!limit) return { allowed: true, limit: 0, remaining: 0, resetSeconds: 0 };
    const second = Math.floor(now / 1000);
    const n = (await HIT.run(this.redis, [this.keys.rateWindow(tenant, budget, second)])) as number;
    return { allowed: n <= limit, limit, remaining: Math.max(0, limit - n), resetSeconds: 1 };
  }
}
