import { DEFAULT_TENANT, type JobRecord, type JobState } from '@roche/core';
import type { WebhookQueue } from './delivery.js';
import { webhookIdFor } from './delivery.js';
import type { EndpointStore } from './endpoint-store.js';
import type { WebhookEvent } from './schemas.js';

const EVENT_BY_STATE: Partial<Record<JobState, WebhookEvent>> = {
  succeeded: 'job.succeeded',
  failed: 'job.failed',
  canceled: 'job.canceled',
  partial: 'job.partial',
};

/** The small JSON a receiver gets: ids, state, counts and links, never the result itself. */
export function eventBody(rec: JobRecord, event: WebhookEvent, now = new Date()): string {
  const self = `/v1/jobs/${rec.id}`;
  return JSON.stringify({
    type: event,
    timestamp: now.toISOString(),
    data: {
      id: rec.id,
      state: rec.state,
      ...(rec.clientRef ? { clientRef: rec.clientRef } : {}),
      ...(rec.metadata ? { metadata: rec.metadata } : {}),
      pagesTotal: rec.pagesTotal ?? 0,
      pagesDone: rec.pagesDone ?? 0,
      pagesFailed: rec.pagesFailed ?? 0,
      ...(rec.error ? { error: { code: rec.error.code, message: rec.error.message } } : {}),
      links: { self, ...(rec.state === 'succeeded' || rec.state === 'partial' ? { result: `${self}/result` } : {}) },
    },
  });
}

/** Turns a terminal job into one durable delivery per interested target. */
export class WebhookNotifier {
  constructor(
    private readonly queue: WebhookQueue,
    private readonly endpoints: EndpointStore,
  ) {}

  async targets(rec: JobRecord, event: WebhookEvent): Promise<string[]> {
    const out: string[] = [];
    if (rec.webhook && (!rec.webhook.events || rec.webhook.events.includes(event))) out.push('job');
    for (const e of await this.endpoints.list(rec.tenant ?? DEFAULT_TENANT)) {
      if (!e.disabled && (!e.events || e.events.includes(event))) out.push(e.id);
    }
    return out;
  }

  /** Enqueues deliveries for a job that just ended; returns how many. `redelivery` adds fresh queue jobs with the same webhook ids. */
  async notify(rec: JobRecord, opts: { redelivery?: boolean } = {}): Promise<number> {
    const event = EVENT_BY_STATE[rec.state];
    if (!event) return 0;
    const targets = await this.targets(rec, event);
    const body = eventBody(rec, event);
    for (const target of targets) {
      const webhookId = webhookIdFor(rec.id, event, target);
      const bullId = opts.redelivery ? `${webhookId}-r${Date.now()}` : webhookId;
      await this.queue.add({ jobId: rec.id, event, webhookId, target, body }, bullId);
    }
    return targets.length;
  }
}
