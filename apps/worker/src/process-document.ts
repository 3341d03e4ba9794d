import { DocumentResult, objectKeys, RocheError, toRocheError, type Config, type JobRecord } from '@roche/core';
import { decodeImage } from '@roche/documents';
import type { LayoutEngine } from '@roche/inference';
import type { JobStore } from '@roche/queue';
import { StorageError, type ObjectStore } from '@roche/storage';

export interface ProcessDeps {
  config: Pick<Config, 'limits'>;
  store: ObjectStore;
  jobs: JobStore;
  engine: LayoutEngine;
  /** Called once a job reaches a terminal state (webhooks, drop-folder export). Errors are logged, never fatal. */
  onTerminal?: (record: JobRecord) => Promise<void>;
}

/** Runs the terminal hook with the job's final record. */
export async function announceTerminal(deps: Pick<ProcessDeps, 'jobs' | 'onTerminal'>, jobId: string): Promise<void> {
  if (!deps.onTerminal) return;
  try {
    const rec = await deps.jobs.get(jobId);
    if (rec) await deps.onTerminal(rec);
  } catch (e) {
    console.error(`[worker] terminal hook for ${jobId} failed:`, (e as Error).message);
  }
}

export type ProcessOutcome = 'succeeded' | 'skipped';

/**
 * Runs one document job: decode, analyze, write the result, mark it done. Throws on failure;
 * the caller decides between retry and a terminal `failed` (see `failJob`).
 */
export async function processDocument(deps: ProcessDeps, jobId: string): Promise<ProcessOutcome> {
  const rec = await deps.jobs.get(jobId);
  if (!rec) return 'skipped'; // deleted while queued
  const started = await deps.jobs.transition(jobId, ['queued', 'running'], {
    state: 'running',
    startedAt: rec.startedAt ?? new Date().toISOString(),
    engine: deps.engine.name,
  });
  if (!started) return 'skipped'; // canceled or already finished by an earlier attempt
  await deps.jobs.incr(jobId, 'attempts');

  let bytes: Buffer;
  try {
    bytes = await deps.store.get(rec.input.key);
  } catch (e) {
    if (e instanceof StorageError) throw new RocheError('storage_unavailable', e.message, { cause: e });
    throw e;
  }
  if (rec.input.type === 'pdf') throw new RocheError('unsupported_media_type', 'PDF input is not supported by this worker version');

  const t0 = performance.now();
  const page = await decodeImage(bytes, deps.config.limits);
  let layout;
  try {
    [layout] = await deps.engine.analyze([page]);
  } catch (e) {
    throw new RocheError('inference_failed', `layout engine ${deps.engine.name} failed: ${(e as Error).message}`, { cause: e });
  }
  if (!layout) throw new RocheError('inference_failed', 'engine returned no page');
  const result = DocumentResult.parse({
    jobId,
    engine: deps.engine.name,
    createdAt: new Date().toISOString(),
    pages: [{ page: 1, width: layout.width, height: layout.height, regions: layout.regions, timingMs: Math.round(performance.now() - t0) }],
  });
  const resultKey = objectKeys.result(jobId);
  await deps.store.put(resultKey, JSON.stringify(result), { contentType: 'application/json' });
  const finished = await deps.jobs.transition(jobId, ['running'], {
    state: 'succeeded',
    finishedAt: new Date().toISOString(),
    resultKey,
    pagesTotal: 1,
    pagesDone: 1,
    pagesFailed: 0,
  });
  if (finished) await announceTerminal(deps, jobId);
  return 'succeeded';
}

/** Records a terminal failure with the error's stable code. */
export async function failJob(deps: Pick<ProcessDeps, 'jobs' | 'onTerminal'>, jobId: string, e: unknown): Promise<void> {
  const re = toRocheError(e);
  const failed = await deps.jobs.transition(jobId, ['queued', 'running'], {
    state: 'failed',
    finishedAt: new Date().toISOString(),
    error: { code: re.code, message: re.message, ...(re.details === undefined ? {} : { details: re.details }) },
  });
  if (failed) await announceTerminal(deps, jobId);
}
