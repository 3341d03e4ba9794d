import { createHash } from 'node:crypto';
import { newJobId, objectKeys, RocheError, type Config, type JobOptions, type JobRecord, type JobWebhookInput } from '@roche/core';
import { generateSecret } from '@roche/webhooks';
import { CONTENT_TYPES, openDocument, parsePageRange, sniffType } from '@roche/documents';
import type { DocumentQueue, JobStore } from '@roche/queue';
import type { ObjectStore } from '@roche/storage';

export interface SubmitDeps {
  config: Pick<Config, 'limits'>;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
}

export interface SubmitInput {
  /** A caller-chosen job id (drop folder); submitting it again returns the existing job. */
  id?: string;
  bytes: Buffer;
  filename?: string;
  source?: string;
  metadata?: Record<string, unknown>;
  options?: JobOptions;
  tenant?: string;
  clientRef?: string;
  webhook?: JobWebhookInput;
}

/**
 * Opens the document once at submit so what can be known now (corrupt, encrypted, too many pages,
 * a page range outside the document) is a 4xx answer instead of a failed job later.
 */
async function selectPages(
  deps: SubmitDeps,
  bytes: Buffer,
  type: NonNullable<ReturnType<typeof sniffType>>,
  options?: JobOptions,
): Promise<number[]> {
  const doc = await openDocument(bytes, type, { ...deps.config.limits, dpi: options?.dpi ?? deps.config.limits.dpi });
  try {
    const pages = options?.pages ? parsePageRange(options.pages, doc.pageCount) : Array.from({ length: doc.pageCount }, (_, i) => i + 1);
    for (const p of pages) {
      const { width, height } = doc.pageSize(p - 1);
      if (width * height > deps.config.limits.maxPagePixels) {
        throw new RocheError(
          'image_too_large',
          `page ${p} is ${width}×${height} pixels at this resolution; the limit is ${deps.config.limits.maxPagePixels}`,
          {
            details: { page: p, width, height, maxPagePixels: deps.config.limits.maxPagePixels },
          },
        );
      }
    }
    return pages;
  } finally {
    doc.close();
  }
}

/**
 * Stores the document, records the job and enqueues it, in that order, so a job is never
 * queued without its input. If a later step fails the earlier ones are undone and the caller
 * gets a 503: nothing is half-accepted.
 */
export async function submitDocument(deps: SubmitDeps, input: SubmitInput): Promise<JobRecord> {
  if (!input.bytes.length) throw new RocheError('bad_request', 'the document is empty');
  const type = sniffType(input.bytes);
  if (!type) {
    throw new RocheError(
      'unsupported_media_type',
      'not a supported document: expected PDF, PNG, JPEG, WebP or TIFF (detected from the file content)',
    );
  }
  if (input.id) {
    const existing = await deps.jobs.get(input.id);
    if (existing) return existing;
  }
  const pages = await selectPages(deps, input.bytes, type, input.options);
  const id = input.id ?? newJobId();
  const record: JobRecord = {
    id,
    state: 'queued',
    createdAt: new Date().toISOString(),
    input: {
      key: objectKeys.input(id),
      type,
      size: input.bytes.length,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      ...(input.filename ? { filename: input.filename } : {}),
      ...(input.source ? { source: input.source } : {}),
    },
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(input.options ? { options: input.options } : {}),
    ...(input.tenant ? { tenant: input.tenant } : {}),
    ...(input.clientRef ? { clientRef: input.clientRef } : {}),
    ...(input.webhook ? { webhook: { ...input.webhook, secret: input.webhook.secret ?? generateSecret() } } : {}),
    pages,
    pagesTotal: pages.length,
    pagesDone: 0,
    pagesFailed: 0,
  };
  try {
    await deps.store.put(record.input.key, input.bytes, { contentType: CONTENT_TYPES[type] });
  } catch (e) {
    throw new RocheError('storage_unavailable', `could not store the document: ${(e as Error).message}`, { cause: e });
  }
  try {
    await deps.jobs.create(record);
    await deps.queue.enqueueDocument(id, pages);
  } catch (e) {
    await Promise.allSettled([deps.jobs.delete(id), deps.store.delete(record.input.key)]);
    throw new RocheError('queue_unavailable', `could not queue the job: ${(e as Error).message}`, { cause: e });
  }
  return record;
}
