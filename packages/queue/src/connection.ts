import { logger } from '@roche/telemetry';
import { Redis, type RedisOptions } from 'ioredis';

let lastLogged = 0;

/**
 * One ioredis connection. BullMQ workers need `maxRetriesPerRequest: null` so a Redis outage
 * makes them wait and reconnect instead of failing jobs. Connection errors are logged at most every
 * 30 s across all connections (an outage would otherwise print one line per connection per retry).
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts });
  r.on('error', (e: Error) => {
    const now = Date.now();
    if (now - lastLogged > 30_000) {
      lastLogged = now;
      logger.warn({ component: 'redis', err: e.message }, 'redis connection error (reconnecting)');
    }
  });
  return r;
}
