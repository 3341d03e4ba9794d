import { z } from 'zod';

import { JOB_EVENTS } from '@roche/core';

export const WebhookEvent = z.enum(JOB_EVENTS);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const EndpointInput = z.object({
  url: z.string().url().max(2000),
  /** Events to receive; all when absent. */
  events: z.array(WebhookEvent).min(1).optional(),
  description: z.string().max(500).optional(),
});
export type EndpointInput = z.infer<typeof EndpointInput>;

/** A tenant's webhook endpoint as stored (secrets never leave the server after creation). */
export const Endpoint = EndpointInput.extend({
  id: z.string(),
  tenant: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
  disabledReason: z.string().optional(),
  /** Newest first; older ones stay valid until `expiresAt` (rotation grace period). */
  secrets: z.array(z.object({ secret: z.string(), expiresAt: z.string().optional() })).min(1),
});
export type Endpoint = z.infer<typeof Endpoint>;

/** Public view of an endpoint. */
export const EndpointView = Endpoint.omit({ secrets: true }).extend({ secretCount: z.number() });
export type EndpointView = z.infer<typeof EndpointView>;

export const Delivery = z.object({
  webhookId: z.string(),
  event: WebhookEvent,
  url: z.string(),
  endpointId: z.string().optional(),
  attempt: z.number().int(),
  at: z.string(),
  status: z.number().int().optional(),
  latencyMs: z.number().optional(),
  outcome: z.enum(['delivered', 'retrying', 'failed', 'disabled', 'refused']),
  error: z.string().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** What a webhook receiver gets (JSON body, signed per Standard Webhooks): ids, state, counts and links, never the result. */
export const WebhookPayload = z.object({
  type: WebhookEvent,
  timestamp: z.string(),
  data: z.object({
    id: z.string(),
    state: z.string(),
    clientRef: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    pagesTotal: z.number(),
    pagesDone: z.number(),
    pagesFailed: z.number(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    links: z.object({ self: z.string(), result: z.string().optional() }),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
