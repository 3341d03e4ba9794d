import { createHash } from 'node:crypto';
import { newJobId, objectKeys, RocheError, type JobRecord } from '@roche/core';
import { CONTENT_TYPES, sniffType } from '@roche/documents';
import type { DocumentQueue, JobStore } from '@roche/queue';
import type { ObjectStore } from '@roche/storage';

export interface SubmitDeps {
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
}

export interface SubmitInput {
  bytes: Buffer;
  filename?: string;
  source?: string;
  metadata?: Record<string, unknown>;
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
    throw new RocheError('unsupported_media_type', 'not a supported document: expected PDF, PNG, JPEG, WebP or TIFF (detected from the file content)');
  }
  if (type === 'pdf') throw new RocheError('unsupported_media_type', 'PDF input is not supported yet; send page images (PNG, JPEG, WebP, TIFF)');
  const id = newJobId();
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
  };
  try {
    await deps.store.put(record.input.key, input.bytes, { contentType: CONTENT_TYPES[type] });
  } catch (e) {
    throw new RocheError('storage_unavailable', `could not store the document: ${(e as Error).message}`, { cause: e });
  }
  try {
    await deps.jobs.create(record);
    await deps.queue.enqueue(id);
  } catch (e) {
    await Promise.allSettled([deps.jobs.delete(id), deps.store.delete(record.input.key)]);
    throw new RocheError('queue_unavailable', `could not queue the job: ${(e as Error).message}`, { cause: e });
  }
  return record;
}
