import { RocheError } from '@roche/core';
import { logger } from '@roche/telemetry';
import { Redis, type Command, type RedisOptions } from 'ioredis';

let lastLogged = 0;

/**
 * One ioredis connection. BullMQ workers need `maxRetriesPerRequest: null` so a Redis outage
 * makes them wait and reconnect instead of failing jobs. Connection errors are logged at most every
 * 30 s across all connections (an outage would otherwise print one line per connection per retry).
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return logErrors(new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts }));
}

/**
 * A connection whose commands give up after `timeoutMs` with ioredis's own "Command timed out", for
 * commands that may be given up on (reads: see Infra.boundedRedis). Not ioredis's `commandTimeout`:
 * its timer fires in the event loop's timers phase, before the poll phase reads the socket, so once
 * this process itself had stalled past the timeout (a long GC pause, a starved CPU) every answer that
 * had arrived meanwhile was taken for a timeout (10 of 10 reads in the test). Here the timer looks
 * again after the poll phase (setImmediate), when an answer waiting in the socket has been read.
 */
export function createBoundedRedis(url: string, timeoutMs: number, opts: RedisOptions = {}): Redis {
  return logErrors(new BoundedRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts }, timeoutMs));
}

/** Commands whose timer runs: a command resent after a reconnect keeps its first deadline. */
const armed = new WeakSet<Command>();

class BoundedRedis extends Redis {
  constructor(
    url: string,
    opts: RedisOptions,
    private readonly timeoutMs: number,
  ) {
    super(url, opts);
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    // Unset only while the constructor runs (nothing is sent then; the ready check comes later).
    if (this.timeoutMs && !armed.has(command)) {
      armed.add(command);
      const timer = setTimeout(
        () => setImmediate(() => command.isResolved || command.reject(new Error('Command timed out'))),
        this.timeoutMs,
      );
      command.promise.then(
        () => clearTimeout(timer),
        () => clearTimeout(timer),
      );
    }
    return super.sendCommand(command, stream);
  }
}

/**
 * Quits a connection and waits until it has ended (at most `waitMs`): commands still queued on it
 * fail only then, so whoever must hear of their failure (a BullMQ queue starting on this connection)
 * is still listening when they do.
 */
export async function closeConnection(r: Redis, waitMs = 2_000): Promise<void> {
  const ended = r.status === 'end' ? Promise.resolve() : new Promise<void>((resolve) => r.once('end', () => resolve()));
  await r.quit().catch(() => r.disconnect());
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

function logErrors(r: Redis): Redis {
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
 * Errors ioredis raises itself when a command gets no answer: it gave up after
 * `maxRetriesPerRequest`, the connection closed under it, or the command outlived the bounded
 * connection's timeout (`createBoundedRedis`, which raises ioredis's own message). Unlike socket codes (ECONNRESET…), no other dependency raises these.
 */
function isRedisClientError(e: Error): boolean {
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    /^(Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries)/.test(e.message)
  );
}

/**
 * Whether an error means Redis cannot be reached (as opposed to a bug): one of ioredis's own (above)
 * or a refused or broken connection. Callers answer 503, not 500.
 */
export function isRedisUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE') return true;
  return isRedisClientError(e) || /connect ECONNREFUSED/.test(e.message);
}

/**
 * A Redis outage as the error the rest of the code waits out (`queue_unavailable`, an outage like a
 * store or Triton that is down); any other error as it was. Without it a worker took a Redis that
 * restarts for a failed page (`internal`) and spent one of the page's attempts on it. Only ioredis's
 * own errors qualify: a bare socket code may come from elsewhere (an fs store on a network mount),
 * and a page waiting on it would wait for good.
 */
export function asRedisOutage(e: unknown): unknown {
  return e instanceof Error && !(e instanceof RocheError) && isRedisClientError(e)
    ? new RocheError('queue_unavailable', `Redis is unavailable: ${e.message}`, { cause: e, retryable: true })
    : e;
}
