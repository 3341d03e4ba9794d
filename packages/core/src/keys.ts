import { createHash } from 'node:crypto';
import type { DocumentType } from './job.js';

/** File name extensions of the input types: the key says the content type (the fs store then writes no sidecar for it). */
const INPUT_EXTENSIONS: Record<DocumentType, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', tiff: 'tiff', pdf: 'pdf' };

/** Object-store layout. One place so API, worker and retention agree. */
export const objectKeys = {
  /** A job's document. Jobs of versions before 2026-12 have `jobs/‹id›/input`; the record holds the key. */
  input: (jobId: string, type: DocumentType) => `jobs/${jobId}/input.${INPUT_EXTENSIONS[type]}`,
  result: (jobId: string) => `jobs/${jobId}/result.json`,
  jobPrefix: (jobId: string) => `jobs/${jobId}/`,
  page: (jobId: string, page: number) => `jobs/${jobId}/pages/${page}.json`,
  pageError: (jobId: string, page: number) => `jobs/${jobId}/pages/${page}.error.json`,
  overlay: (jobId: string, page: number) => `jobs/${jobId}/overlays/${page}.png`,
  preview: (jobId: string, page: number) => `jobs/${jobId}/previews/${page}.jpg`,
  crop: (jobId: string, page: number, order: number, label: string) => `jobs/${jobId}/crops/${page}-${order}-${label}.png`,
  /** API path that serves an object under the job's prefix. */
  href: (jobId: string, key: string) => `/v1/jobs/${jobId}/files/${key.slice(`jobs/${jobId}/`.length)}`,
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Every Redis key Roche writes, under one prefix (as BullMQ's `QueueKeys` does for its own), so an
 * operator can see the whole keyspace here and deployments (KEDA triggers) can name keys exactly.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Job record hash (one JSON value per field). */
  job(id: string): string {
    return `${this.prefix}:job:${id}`;
  }
  /** Set of pages already counted for a job (once per page however often it runs). */
  jobPages(id: string): string {
    return `${this.job(id)}:pages`;
  }
  /** Webhook delivery log of a job. */
  jobDeliveries(id: string): string {
    return `${this.job(id)}:deliveries`;
  }
  /** Everything keyed by a job id, for deletion and retention. */
  jobKeys(id: string): string[] {
    return [this.job(id), this.jobPages(id), this.jobDeliveries(id)];
  }
  /** Pub/sub channel announcing changes of a job. */
  jobEvents(id: string): string {
    return `${this.prefix}:job-events:${id}`;
  }
  webhookEndpoint(id: string): string {
    return `${this.prefix}:webhook:${id}`;
  }
  /** A tenant's jobs by creation time (sorted set), for listing. */
  tenantJobs(tenant: string): string {
    return `${this.prefix}:tenant:${tenant}:jobs`;
  }
  tenantWebhooks(tenant: string): string {
    return `${this.prefix}:tenant:${tenant}:webhooks`;
  }
  /** An `Idempotency-Key` of a tenant (hashed: keys are caller-chosen text). */
  idempotency(tenant: string, key: string): string {
    return `${this.prefix}:idem:${tenant}:${sha256(key)}`;
  }
  /** Drop-folder claim of one object version. */
  dropClaim(bucket: string, key: string, etag: string): string {
    return `${this.prefix}:drop:${sha256(`${bucket}\n${key}\n${etag}`)}`;
  }
  /** An API key's record (JSON: tenant, scopes, hash of the secret — never the key itself). */
  apiKey(id: string): string {
    return `${this.apiKeyPrefix()}${id}`;
  }
  /** What every key record's name starts with (tracked by the API's key cache). */
  apiKeyPrefix(): string {
    return `${this.prefix}:apikey:`;
  }
  /** Set of every API key id, for listing. */
  apiKeyIds(): string {
    return `${this.prefix}:apikeys`;
  }
  /** Request counter of a tenant for one budget (`read`/`write`) in one one-second window. */
  rateWindow(tenant: string, budget: string, second: number): string {
    return `${this.prefix}:rate:${tenant}:${budget}:${second}`;
  }
  /** Pages of a tenant's unfinished jobs (admission control). */
  tenantPagesInFlight(tenant: string): string {
    return `${this.prefix}:tenant:${tenant}:pages-in-flight`;
  }
  /** Pages of all unfinished jobs (admission control: global queue depth). */
  pagesInFlight(): string {
    return `${this.prefix}:pages-in-flight`;
  }
  /** Documents a tenant submitted on one UTC day (`YYYY-MM-DD`). */
  tenantDocsOnDay(tenant: string, day: string): string {
    return `${this.prefix}:tenant:${tenant}:docs:${day}`;
  }
  /** Jobs whose admission is counted and not yet released (so the counters are released once). */
  admitted(): string {
    return `${this.prefix}:admitted`;
  }
  /** A value sealed by the SecretBox of the processes sharing this Redis: each checks at start that it can open it. */
  secretCanary(): string {
    return `${this.prefix}:secret-canary`;
  }
  /** A BullMQ list of a queue, e.g. `wait` (what autoscalers watch). BullMQ builds these itself from the same prefix. */
  bullList(queue: string, list: 'wait' | 'active' | 'delayed' | 'prioritized' = 'wait'): string {
    return `${this.prefix}:${queue}:${list}`;
  }
}
