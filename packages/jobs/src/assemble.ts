import { DocumentResult, ErrorCode, isOutage, objectKeys, PageResult, type JobRecord, type JobState } from '@roche/core';
import { NotFoundError, type ObjectStore } from '@roche/storage';

type PageError = NonNullable<DocumentResult['errors']>[number];

export interface Assembled {
  state: Extract<JobState, 'succeeded' | 'partial' | 'failed'>;
  resultKey: string;
  error?: JobRecord['error'];
}

/** The job's final state and error from what its pages did. */
export function settleOutcome(pagesOk: number, errors: PageError[]): Omit<Assembled, 'resultKey'> {
  const state = errors.length === 0 ? 'succeeded' : pagesOk === 0 ? 'failed' : 'partial';
  const first = errors[0];
  if (state === 'failed' && first) {
    return { state, error: { code: ErrorCode.catch('internal').parse(first.code), message: `page ${first.page}: ${first.message}` } };
  }
  if (state === 'partial') {
    return {
      state,
      error: { code: 'inference_failed', message: `${errors.length} of ${errors.length + pagesOk} pages failed`, details: errors },
    };
  }
  return { state };
}

const COMMA = Buffer.from(',');

/**
 * Gathers the page results of a job in page order into `result.json` (one page in memory at a
 * time: the document never exists as one object graph) and says how the job ends.
 */
export async function assembleResult(store: ObjectStore, rec: JobRecord): Promise<Assembled> {
  // Buffers, not one string: a result of many large pages (a million glyphs' text each) passes V8's
  // ~512 MiB string limit long before memory runs out.
  const pages: Buffer[] = [];
  const versions = new Set<string>();
  const errors: PageError[] = [];
  for (const page of rec.pages ?? [1]) {
    try {
      const result = PageResult.parse(JSON.parse((await store.get(objectKeys.page(rec.id, page))).toString('utf8')));
      if (result.configVersion) versions.add(result.configVersion);
      pages.push(Buffer.from(JSON.stringify(result)));
    } catch (e) {
      if (isOutage(e)) throw e;
      if (!(e instanceof NotFoundError)) {
        // A stored page that cannot be read as one fails that page, not the whole assembly (which
        // would be retried to no end, the job left running).
        errors.push({ page, code: 'internal', message: `the page result cannot be read: ${(e as Error).message.slice(0, 200)}` });
        continue;
      }
      let err: PageError = { page, code: 'internal', message: 'page result missing' };
      try {
        err = JSON.parse((await store.get(objectKeys.pageError(rec.id, page))).toString('utf8'));
      } catch {
        // No error file either: the page job never ran to an end (removed); report it as missing.
      }
      errors.push(err);
    }
  }
  const head: Omit<DocumentResult, 'pages'> = {
    jobId: rec.id,
    engine: rec.engine ?? 'none',
    ...(rec.options?.model ? { model: rec.options.model } : {}),
    ...(versions.size ? { configVersions: [...versions] } : {}),
    createdAt: new Date().toISOString(),
    ...(errors.length ? { errors } : {}),
  };
  const parts: Buffer[] = [Buffer.from(JSON.stringify(head).slice(0, -1) + ',"pages":[')];
  pages.forEach((p, i) => parts.push(...(i ? [COMMA, p] : [p])));
  parts.push(Buffer.from(']}'));
  const json = Buffer.concat(parts);
  const resultKey = objectKeys.result(rec.id);
  await store.put(resultKey, json, { contentType: 'application/json' });
  return { ...settleOutcome(pages.length, errors), resultKey };
}
