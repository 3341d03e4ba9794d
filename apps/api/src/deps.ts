import type { Config, JobRecord } from '@roche/core';
import type { DocumentQueue, JobEvents, JobStore } from '@roche/queue';
import type { AllowList, DeliveryLog, EndpointStore, WebhookNotifier } from '@roche/webhooks';
import type { Idempotency } from './idempotency.js';
import type { ObjectStore } from '@roche/storage';

export interface ApiDeps {
  config: Pick<Config, 'limits' | 'retentionHours'>;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
  /** Change notifications for SSE and long-polling. */
  events: JobEvents;
  /** Reads an `s3://bucket/key` reference; absent when no S3 is configured. */
  readS3?: (uri: string) => Promise<Buffer>;
  /** Liveness of Redis for /readyz. */
  pingRedis: () => Promise<void>;
  /** Called when the API ends a job itself (cancel), like the worker's hook. */
  onTerminal?: (record: JobRecord) => Promise<void>;
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
