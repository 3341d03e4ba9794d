import type { Config, JobRecord } from '@roche/core';
import type { DocumentQueue, JobEvents, JobStore } from '@roche/queue';
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
}
