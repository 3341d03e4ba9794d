import { RocheError } from '@roche/core';
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

/**
 * Whether an error means Redis cannot be reached (as opposed to a bug): ioredis gives up after
 * `maxRetriesPerRequest`, the connection is closed or refused, or a command on the bounded
 * connection went unanswered past its `commandTimeout`. Callers answer 503, not 500.
 */
export function isRedisUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE') return true;
  return /Connection is closed|Stream isn't writeable|connect ECONNREFUSED|Reached the max retries|Command timed out/i.test(e.message);
}

/**
 * A Redis outage as the error the rest of the code waits out (`queue_unavailable`, an outage like a
 * store or Triton that is down); any other error as it was. Without it a worker took a Redis that
 * restarts for a failed page (`internal`) and spent one of the page's attempts on it.
 */
export function asRedisOutage(e: unknown): unknown {
  return !(e instanceof RocheError) && isRedisUnavailable(e)
    ? new RocheError('queue_unavailable', `Redis is unavailable: ${(e as Error).message}`, { cause: e, retryable: true })
    : e;
}
