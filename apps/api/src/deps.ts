import type { ApiKeyStore, Authenticator, RateLimiter } from '@roche/auth';
import type { Config } from '@roche/core';
import type { ModelInfo } from '@roche/engines';
import type { Idempotency, JobService, OwnStore } from '@roche/jobs';
import type { JobEvents } from '@roche/queue';
import type { ObjectStore } from '@roche/storage';
import type { AllowList, DeliveryLog, EndpointStore, WebhookNotifier } from '@roche/webhooks';

export interface ApiDeps {
  config: Pick<Config, 'limits' | 'retentionHours' | 'http' | 'sources' | 'dataDir'>;
  auth: { authenticator: Authenticator; keys: ApiKeyStore };
  /** Per-tenant request budgets; absent = unlimited. */
  rateLimiter?: RateLimiter;
  /** The object store's own bucket/prefix: never a valid `s3://` source. */
  ownStore: OwnStore;
  /** The job lifecycle: every route that changes a job goes through it. */
  service: JobService;
  /** Serves job files and presigns result links. */
  store: ObjectStore;
  /** Change notifications for SSE and long-polling. */
  events: JobEvents;
  /** Reads an `s3://bucket/key` reference; absent when no S3 is configured. */
  readS3?: (uri: string) => Promise<Buffer>;
  /** Liveness of Redis for /readyz. */
  pingRedis: () => Promise<void>;
  /** Readiness of the layout engine (Triton model loaded); absent for in-process engines. */
  engineReady?: () => Promise<void>;
  /** The deployment's models, for `GET /v1/models`. */
  models?: { list(): ModelInfo[] };
  /** BullMQ queues shown to operators at /admin/queues (admin scope). */
  queues?: import('bullmq').Queue[];
  idempotency: Idempotency;
  /** Ingests an S3/MinIO event notification for the drop folders; absent when none are configured. */
  dropEvents?: (body: unknown) => Promise<number>;
  webhooks: {
    endpoints: EndpointStore;
    log: DeliveryLog;
    notifier: WebhookNotifier;
    allow: AllowList;
    secretGraceSeconds: number;
  };
}
