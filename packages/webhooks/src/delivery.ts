import { bullTelemetry, inSpan, logger } from '@roche/telemetry';
import { createHash } from 'node:crypto';
import { isOutage, KeyedSlots, type JobRecord } from '@roche/core';
import { asRedisOutage, closeConnection, createRedis, type JobStore } from '@roche/queue';
import type { Redis } from 'ioredis';
import { DelayedError, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { z } from 'zod';
import type { DeliveryLog } from './delivery-log.js';
import { activeSecrets, type EndpointStore } from './endpoint-store.js';
import { WebhookEvent, type Delivery } from './schemas.js';
import { postJson, type SendResult } from './send.js';
import { signedHeaders } from './signing.js';
import { DestinationRefused, resolveDestination, type AllowList } from './ssrf.js';

export const WEBHOOK_QUEUE = 'webhooks';

export const DeliveryPayload = z.object({
  jobId: z.string(),
  event: WebhookEvent,
  webhookId: z.string(),
  /** `job` = the webhook given with the job; otherwise a tenant endpoint id. */
  target: z.union([z.literal('job'), z.string().startsWith('ep_')]),
  body: z.string(),
});
export type DeliveryPayload = z.infer<typeof DeliveryPayload>;

export interface DeliverySettings {
  /** Delays between attempts, in ms; attempts = schedule length + 1. */
  scheduleMs: number[];
  /** ± share of each delay picked at random, so a recovering receiver is not hit all at once. */
  jitter: number;
  timeoutMs: number;
  allow: AllowList;
}

/** Standard Webhooks' recommended schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** The same id for every attempt and every redelivery of one event to one target. */
export function webhookIdFor(jobId: string, event: string, target: string): string {
  return `msg_${createHash('sha256').update(`${jobId}|${event}|${target}`).digest('hex').slice(0, 24)}`;
}

class RetryableDelivery extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function backoffDelay(
  settings: Pick<DeliverySettings, 'scheduleMs' | 'jitter'>,
  attemptsMade: number,
  retryAfterMs?: number,
  rand = Math.random,
): number {
  const base = settings.scheduleMs[Math.min(attemptsMade - 1, settings.scheduleMs.length - 1)] ?? 0;
  const jittered = Math.round(base * (1 + settings.jitter * (2 * rand() - 1)));
  // Honour Retry-After, but never retry sooner than the schedule says.
  return Math.max(jittered, retryAfterMs ?? 0);
}

export interface DeliveryDeps {
  jobs: JobStore;
  endpoints: EndpointStore;
  log: DeliveryLog;
  settings: DeliverySettings;
}

async function secretsAndUrl(
  deps: DeliveryDeps,
  p: DeliveryPayload,
): Promise<{ url: string; secrets: string[]; tenant: string; endpointId?: string } | null> {
  if (p.target === 'job') {
    const rec: JobRecord | null = await deps.jobs.get(p.jobId);
    if (!rec?.webhook) return null;
    return { url: rec.webhook.url, secrets: [rec.webhook.secret], tenant: rec.tenant ?? '' };
  }
  const e = await deps.endpoints.get(null, p.target);
  if (!e || e.disabled) return null;
  return { url: e.url, secrets: activeSecrets(e), tenant: e.tenant, endpointId: e.id };
}

/**
 * Deliveries in flight per receiver in this process, a receiver being a URL origin (scheme, host,
 * port). Not the resolved address: receivers of many tenants share the addresses of the platforms
 * that host them, and one dead receiver must not hold back the others there. A receiver that never
 * answers holds each delivery for the whole timeout; without a cap one tenant's dead receiver took
 * every slot of the delivery worker and delayed everyone else's webhooks.
 */
export class ReceiverSlots {
  private readonly receivers: KeyedSlots;
  /** A tenant's share across its receivers: many receiver names (a wildcard DNS name per job) get one share between them. */
  private readonly tenants: KeyedSlots;
  constructor(
    readonly perReceiver: number,
    readonly perTenant = 4 * perReceiver,
  ) {
    this.receivers = new KeyedSlots(perReceiver);
    this.tenants = new KeyedSlots(perTenant);
  }

  /**
   * A release function, or null when the receiver or its tenant already has its share in flight.
   * Taken before the receiver's name is resolved: deliveries waiting for a dead receiver come back
   * every second or so, and each one resolving the name again would keep libuv's four lookup
   * threads busy for everyone else.
   */
  take(url: string, tenant: string): (() => void) | null {
    const receiver = this.receivers.take(originOf(url));
    if (!receiver) return null;
    const own = this.tenants.take(tenant);
    if (!own) {
      receiver();
      return null;
    }
    return () => {
      receiver();
      own();
    };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** A delivery waits this long (± half) when its receiver has its share in flight; not an attempt. */
export const RECEIVER_BUSY_DELAY_MS = 1_000;
export const DEFAULT_PER_RECEIVER = 8;

/** A delivery whose job record could not be read (Redis unreachable or slow) comes back this much later; not an attempt. */
export const REDIS_OUTAGE_DELAY_MS = 5_000;

/** Back in the queue for a moment (± half), without spending an attempt: the receiver has its share in flight, or Redis is out. */
async function wait(job: Job<DeliveryPayload>, token: string | undefined, ms = RECEIVER_BUSY_DELAY_MS): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.round(ms * (0.5 + Math.random())), token);
  throw new DelayedError();
}

/** One attempt: refuse internal destinations, sign, POST, log; throw to retry. */
export async function attemptDelivery(
  deps: DeliveryDeps,
  job: Job<DeliveryPayload>,
  gate?: { slots: ReceiverSlots; token?: string },
): Promise<Delivery['outcome']> {
  const p = DeliveryPayload.parse(job.data);
  const attempt = job.attemptsMade + 1;
  const last = attempt >= (job.opts.attempts ?? 1);
  let target;
  try {
    target = await secretsAndUrl(deps, p);
  } catch (e) {
    // The delivery is not at fault when its record cannot be read: on the last attempt it would be
    // dropped unlogged.
    if (isOutage(asRedisOutage(e))) {
      logger.warn({ component: 'webhooks', jobId: p.jobId, webhookId: p.webhookId, err: (e as Error).message }, 'delivery waits for Redis');
      return wait(job, gate?.token, REDIS_OUTAGE_DELAY_MS);
    }
    throw e;
  }
  const base = { webhookId: p.webhookId, event: p.event, attempt, at: new Date().toISOString() };
  if (!target) {
    await deps.log.append(p.jobId, { ...base, url: '', outcome: 'disabled', error: 'endpoint removed or disabled' });
    return 'disabled';
  }
  const entry = { ...base, url: target.url, ...(target.endpointId ? { endpointId: target.endpointId } : {}) };
  const release = gate ? gate.slots.take(target.url, target.tenant) : () => {};
  if (!release) return wait(job, gate!.token);
  let dest;
  try {
    dest = await resolveDestination(target.url, deps.settings.allow);
  } catch (e) {
    release();
    if (e instanceof DestinationRefused) {
      await deps.log.append(p.jobId, { ...entry, outcome: 'refused', error: e.message });
      return 'refused';
    }
    throw e;
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const t0 = performance.now();
  let res: SendResult;
  try {
    res = await postJson(dest, signedHeaders(target.secrets, p.webhookId, timestamp, p.body), p.body, deps.settings.timeoutMs);
  } catch (e) {
    const latencyMs = Math.round(performance.now() - t0);
    await deps.log.append(p.jobId, { ...entry, latencyMs, outcome: last ? 'failed' : 'retrying', error: (e as Error).message });
    if (last) return 'failed';
    throw new RetryableDelivery((e as Error).message);
  } finally {
    release();
  }
  const latencyMs = Math.round(performance.now() - t0);
  if (res.status >= 200 && res.status < 300) {
    await deps.log.append(p.jobId, { ...entry, status: res.status, latencyMs, outcome: 'delivered' });
    return 'delivered';
  }
  if (res.status === 410 && target.endpointId) {
    await deps.endpoints.disable(target.endpointId, `receiver answered 410 Gone at ${base.at}`);
    await deps.log.append(p.jobId, { ...entry, status: res.status, latencyMs, outcome: 'disabled', error: '410 Gone: endpoint disabled' });
    return 'disabled';
  }
  if (res.status === 410) {
    await deps.log.append(p.jobId, { ...entry, status: res.status, latencyMs, outcome: 'failed', error: '410 Gone: not retried' });
    return 'failed';
  }
  await deps.log.append(p.jobId, {
    ...entry,
    status: res.status,
    latencyMs,
    outcome: last ? 'failed' : 'retrying',
    error: `HTTP ${res.status}`,
  });
  if (last) return 'failed';
  throw new RetryableDelivery(`HTTP ${res.status}`, res.retryAfterMs);
}

export class WebhookQueue {
  readonly queue: Queue<DeliveryPayload>;
  private readonly connection: Redis;
  constructor(
    redisUrl: string,
    prefix: string,
    private readonly attempts: number,
  ) {
    this.connection = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
    this.queue = new Queue<DeliveryPayload>(WEBHOOK_QUEUE, { connection: this.connection, prefix, ...bullTelemetry() });
  }

  async add(p: DeliveryPayload, bullId: string): Promise<void> {
    await this.queue.add('deliver', DeliveryPayload.parse(p), {
      jobId: bullId,
      attempts: this.attempts,
      backoff: { type: 'webhook' },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async close() {
    // The shared connection first (see DocumentQueue.close).
    await closeConnection(this.connection);
    await this.queue.close();
  }
}

export function createDeliveryWorker(
  deps: DeliveryDeps,
  connection: ConnectionOptions,
  prefix: string,
  // A delivery is mostly waiting on the receiver (up to its timeout): with 8 at a time, 40 jobs whose
  // receiver never answers delayed every other tenant's webhooks by 21 s (hostile-input audit).
  concurrency = 64,
  slots = new ReceiverSlots(DEFAULT_PER_RECEIVER),
): Worker<DeliveryPayload> {
  const worker = new Worker<DeliveryPayload>(
    WEBHOOK_QUEUE,
    (job, token) =>
      inSpan('webhook.deliver', { 'webhook.event': job.data.event, 'webhook.attempt': job.attemptsMade + 1 }, () =>
        attemptDelivery(deps, job, { slots, token }),
      ),
    {
      ...bullTelemetry(),
      connection,
      prefix,
      concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          backoffDelay(deps.settings, attemptsMade, err instanceof RetryableDelivery ? err.retryAfterMs : undefined),
      },
    },
  );
  worker.on('error', (e) => logger.error({ component: 'webhooks', err: e.message }, 'delivery worker error'));
  return worker;
}
