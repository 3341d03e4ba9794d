import type { Config, JobRecord } from '@roche/core';
import { type LayoutEngine } from '@roche/inference';
import type { DocumentQueue, JobStore } from '@roche/queue';
import type { ObjectStore } from '@roche/storage';

export interface WorkerDeps {
  config: Pick<Config, 'limits' | 'retentionHours' | 'worker'>;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
  engine: LayoutEngine;
  /** Called once a job reaches a terminal state (webhooks, drop-folder export). Errors are logged, never fatal. */
  onTerminal?: (record: JobRecord) => Promise<void>;
}

/** Runs the terminal hook with the job's final record. */
export async function announceTerminal(deps: Pick<WorkerDeps, 'jobs' | 'onTerminal'>, jobId: string): Promise<void> {
  if (!deps.onTerminal) return;
  try {
    const rec = await deps.jobs.get(jobId);
    if (rec) await deps.onTerminal(rec);
  } catch (e) {
    console.error(`[worker] terminal hook for ${jobId} failed:`, (e as Error).message);
  }
}
