import { commonLabel, objectKeys, PageResult, RocheError, TERMINAL_STATES, toRocheError, type JobRecord } from '@roche/core';
import { cropRegion, renderOverlay } from '@roche/documents';
import { StorageError } from '@roche/storage';
import type { DocumentCache } from './document-cache.js';
import type { WorkerDeps } from './deps.js';

export type PageOutcome = 'done' | 'failed' | 'skipped';

/**
 * Analyzes one page of a job: render it (only this page), run the engine, store the page result
 * and its overlay/crops, count it. Throws only errors worth retrying; a page that cannot succeed
 * is recorded as failed so the rest of the document goes on.
 */
export async function processPage(
  deps: WorkerDeps,
  docs: DocumentCache,
  jobId: string,
  page: number,
  lastAttempt: boolean,
): Promise<PageOutcome> {
  const rec = await deps.jobs.get(jobId);
  if (!rec || TERMINAL_STATES.has(rec.state)) return 'skipped'; // canceled, deleted or already done
  if (await deps.store.head(objectKeys.page(jobId, page))) {
    // Stored by an earlier attempt that died before counting it.
    await deps.jobs.markPage(jobId, page, 'done');
    return 'done';
  }
  if (rec.state === 'queued') {
    await deps.jobs.transition(jobId, ['queued'], { state: 'running', startedAt: new Date().toISOString(), engine: deps.engine.name });
  }
  try {
    await analyzePage(deps, docs, rec, page);
    await deps.jobs.markPage(jobId, page, 'done');
    return 'done';
  } catch (e) {
    const re = e instanceof StorageError ? new RocheError('storage_unavailable', e.message, { cause: e }) : toRocheError(e);
    if (re.retryable && !lastAttempt) throw re;
    await recordPageFailure(deps, jobId, page, re);
    return 'failed';
  }
}

async function analyzePage(deps: WorkerDeps, docs: DocumentCache, rec: JobRecord, page: number): Promise<void> {
  const t0 = performance.now();
  const image = await docs.use(rec.id, (doc) => doc.renderPage(page - 1));
  let layout;
  try {
    [layout] = await deps.engine.analyze([image], { overrides: rec.options?.overrides });
  } catch (e) {
    if (e instanceof RocheError) throw e;
    throw new RocheError('inference_failed', `layout engine ${deps.engine.name} failed: ${(e as Error).message}`, {
      cause: e,
      retryable: true,
    });
  }
  if (!layout) throw new RocheError('inference_failed', 'engine returned no page', { retryable: true });
  const result: PageResult = {
    page,
    width: layout.width,
    height: layout.height,
    regions: layout.regions,
    timingMs: Math.round(performance.now() - t0),
  };

  if (rec.options?.overlays !== false) {
    const key = objectKeys.overlay(rec.id, page);
    await deps.store.put(key, await renderOverlay(image, layout.regions), { contentType: 'image/png' });
    result.overlay = objectKeys.href(rec.id, key);
  }
  const wanted = new Set(rec.options?.crops ?? []);
  if (wanted.size) {
    result.crops = [];
    for (const r of layout.regions) {
      if (!wanted.has(r.label) && !wanted.has(commonLabel(r.label))) continue;
      const key = objectKeys.crop(rec.id, page, r.order, r.label);
      await deps.store.put(key, await cropRegion(image, r.box), { contentType: 'image/png' });
      result.crops.push({ order: r.order, label: r.label, href: objectKeys.href(rec.id, key) });
    }
  }
  // Written last: its presence means the page is complete.
  await deps.store.put(objectKeys.page(rec.id, page), JSON.stringify(PageResult.parse(result)), { contentType: 'application/json' });
}

export async function recordPageFailure(deps: WorkerDeps, jobId: string, page: number, e: RocheError): Promise<void> {
  const body = { page, code: e.code, message: e.message };
  await deps.store.put(objectKeys.pageError(jobId, page), JSON.stringify(body), { contentType: 'application/json' }).catch(() => {});
  await deps.jobs.markPage(jobId, page, 'failed');
}
