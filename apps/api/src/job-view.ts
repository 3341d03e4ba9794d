import { hasResult, objectKeys, type JobRecord, type JobView } from '@roche/core';
import type { ObjectStore } from '@roche/storage';

export const RESULT_URL_TTL_SECONDS = 3600;

/** The public face of a job record: internal keys out, links in. */
export async function toJobView(rec: JobRecord, store: ObjectStore): Promise<JobView> {
  const self = `/v1/jobs/${rec.id}`;
  const { input, resultKey: _resultKey, pages: _pages, tenant: _tenant, endSteps: _endSteps, webhook, ...rest } = rec;
  const view: JobView = {
    ...rest,
    input: { type: input.type, size: input.size, sha256: input.sha256, filename: input.filename, source: input.source },
    ...(webhook ? { webhook: { url: webhook.url, ...(webhook.events ? { events: webhook.events } : {}) } } : {}),
    links: { self, result: `${self}/result`, events: `${self}/events`, cancel: `${self}/cancel` },
  };
  if (hasResult(rec)) {
    const direct = await store.presignedUrl(rec.resultKey ?? objectKeys.result(rec.id), RESULT_URL_TTL_SECONDS);
    if (direct) view.links.resultDirect = direct;
  }
  return view;
}
