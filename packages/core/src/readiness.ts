import { RocheError } from './errors.js';

/** What a process depends on to do its work; the engine only where models run or are called. */
export interface ReadinessChecks {
  redis: () => Promise<unknown>;
  store: () => Promise<unknown>;
  engine?: () => Promise<unknown>;
}

/**
 * Checks every dependency at once and throws the RocheError of the first that is down, in this order
 * (Redis, object store, engine), so each readiness probe (the API's `/readyz`, the metrics server of
 * worker-only processes) names the failing part with the same code.
 */
export async function assertReady(checks: ReadinessChecks): Promise<void> {
  const [redis, store, engine] = await Promise.allSettled([checks.redis(), checks.store(), checks.engine?.()]);
  const why = (r: PromiseSettledResult<unknown>) =>
    String((r as PromiseRejectedResult).reason?.message ?? (r as PromiseRejectedResult).reason);
  if (redis.status === 'rejected') throw new RocheError('queue_unavailable', `redis: ${why(redis)}`);
  if (store.status === 'rejected') throw new RocheError('storage_unavailable', `object store: ${why(store)}`);
  if (engine.status === 'rejected') throw new RocheError('inference_unavailable', `engine: ${why(engine)}`);
}
