import { DocumentResult, ErrorCode, objectKeys, PageResult, type JobState } from '@roche/core';
import { NotFoundError } from '@roche/storage';
import { announceTerminal, type WorkerDeps } from './deps.js';

/**
 * Runs when every page job of a document has finished: gathers the page results in page order
 * into `result.json` (one page in memory at a time while reading) and settles the job as
 * succeeded, partial (some pages failed) or failed (none succeeded).
 */
export async function assembleDocument(deps: WorkerDeps, jobId: string): Promise<JobState | 'skipped'> {
  const rec = await deps.jobs.get(jobId);
  if (!rec || rec.state === 'canceled' || rec.state === 'succeeded' || rec.state === 'partial' || rec.state === 'failed') return 'skipped';
  const pages: string[] = [];
  const errors: NonNullable<DocumentResult['errors']> = [];
  for (const page of rec.pages ?? [1]) {
    try {
      pages.push(JSON.stringify(PageResult.parse(JSON.parse((await deps.store.get(objectKeys.page(jobId, page))).toString('utf8')))));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      let err = { page, code: 'internal', message: 'page result missing' };
      try {
        err = JSON.parse((await deps.store.get(objectKeys.pageError(jobId, page))).toString('utf8'));
      } catch {
        // No error file either: the page job never ran to an end (removed); report it as missing.
      }
      errors.push(err);
    }
  }
  const head: Omit<DocumentResult, 'pages'> = {
    jobId,
    engine: deps.engine.name,
    createdAt: new Date().toISOString(),
    ...(errors.length ? { errors } : {}),
  };
  // Build the JSON text from per-page strings: the document never exists as one object graph.
  const json = JSON.stringify(head).slice(0, -1) + `,"pages":[${pages.join(',')}]}`;
  const resultKey = objectKeys.result(jobId);
  await deps.store.put(resultKey, json, { contentType: 'application/json' });

  const state: JobState = errors.length === 0 ? 'succeeded' : pages.length === 0 ? 'failed' : 'partial';
  const first = errors[0];
  const changed = await deps.jobs.transition(jobId, ['queued', 'running'], {
    state,
    finishedAt: new Date().toISOString(),
    resultKey,
    ...(state === 'failed' && first
      ? { error: { code: ErrorCode.catch('internal').parse(first.code), message: `page ${first.page}: ${first.message}` } }
      : {}),
    ...(state === 'partial'
      ? {
          error: { code: 'inference_failed', message: `${errors.length} of ${errors.length + pages.length} pages failed`, details: errors },
        }
      : {}),
  });
  if (changed) {
    await deps.queue.scheduleExpiry(jobId, deps.config.retentionHours * 3600_000);
    await announceTerminal(deps, jobId);
  }
  return changed ? state : 'skipped';
}

/** Retention: removes a job's objects and record. */
export async function expireJob(deps: Pick<WorkerDeps, 'store' | 'jobs'>, jobId: string): Promise<void> {
  await deps.store.deletePrefix(objectKeys.jobPrefix(jobId));
  await deps.jobs.delete(jobId);
}
