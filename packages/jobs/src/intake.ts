import { createHash } from 'node:crypto';
import {
  newJobId,
  objectKeys,
  RocheError,
  type Config,
  type DocumentType,
  type JobOptions,
  type JobRecord,
  type JobWebhookInput,
} from '@roche/core';
import { assertPageShape, openDocument, parsePageRange, sniffType, unsupportedFormat } from '@roche/documents';
import { generateSecret } from '@roche/webhooks';

/** A document as a caller hands it over, in any of the submit forms (upload, s3:// source, drop folder). */
/** An upload streamed to a local file (never held in memory), with what was learnt while writing it. */
export interface StagedFile {
  path: string;
  size: number;
  sha256: string;
  /** The first bytes, for type sniffing. */
  head: Buffer;
}

export interface SubmitInput {
  /** A caller-chosen job id (drop folder); submitting it again returns the existing job. */
  id?: string;
  /** The document in memory (small uploads, s3/URL sources, drop folder) … */
  bytes?: Buffer;
  /** … or staged in a local file (streamed uploads). Exactly one of the two. */
  staged?: StagedFile;
  filename?: string;
  source?: string;
  metadata?: Record<string, unknown>;
  options?: JobOptions;
  tenant?: string;
  clientRef?: string;
  webhook?: JobWebhookInput;
}

/** What the document itself allows: its type (from magic bytes, never the caller's word). */
export function documentType(bytes: Buffer): DocumentType {
  if (!bytes.length) throw new RocheError('bad_request', 'the document is empty');
  const type = sniffType(bytes);
  if (!type) {
    const known = unsupportedFormat(bytes);
    throw new RocheError(
      'unsupported_media_type',
      `${known ? `${known} is not supported` : 'not a supported document'}: expected PDF, PNG, JPEG, WebP or TIFF (detected from the file content)`,
    );
  }
  return type;
}

/**
 * Opens the document once at submit so what can be known now (corrupt, encrypted, too many pages,
 * a page range outside the document, a page too large to render) is a 4xx answer instead of a
 * failed job later. Returns the 1-based pages to process.
 */
export async function selectPages(
  limits: Config['limits'],
  input: Buffer | { file: string },
  type: DocumentType,
  options?: JobOptions,
): Promise<number[]> {
  const doc = await openDocument(input, type, { ...limits, dpi: options?.dpi ?? limits.dpi });
  try {
    // An empty selection is refused ("it is empty"), not taken as every page: a blank that meant something.
    const pages =
      options?.pages !== undefined ? parsePageRange(options.pages, doc.pageCount) : Array.from({ length: doc.pageCount }, (_, i) => i + 1);
    for (const p of pages) {
      const { width, height } = doc.pageSize(p - 1);
      if (width * height > limits.maxPagePixels) {
        throw new RocheError(
          'image_too_large',
          `page ${p} is ${width}×${height} pixels at this resolution; the limit is ${limits.maxPagePixels}`,
          { details: { page: p, width, height, maxPagePixels: limits.maxPagePixels } },
        );
      }
      assertPageShape(width, height, p);
    }
    return pages;
  } finally {
    doc.close();
  }
}

/**
 * A file name as a label: control characters, bidirectional overrides and invisible characters
 * (zero-width, line/paragraph separators, BOM) dropped (they disguise
 * extensions in listings, "invoice\u202Efdp.exe", and break logs), at most 255 characters.
 */
export function cleanFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const clean = [...name.replace(/[\p{Cc}\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu, '')].slice(0, 255).join('').trim();
  return clean || undefined;
}

/** The record of a new job, `queued`, with a generated webhook secret where the caller gave none. */
export function newJobRecord(input: SubmitInput, type: DocumentType, pages: number[], now = new Date()): JobRecord {
  const id = input.id ?? newJobId(now.getTime());
  const filename = cleanFilename(input.filename);
  return {
    id,
    state: 'queued',
    createdAt: now.toISOString(),
    input: {
      key: objectKeys.input(id, type),
      type,
      size: input.staged?.size ?? input.bytes!.length,
      sha256: input.staged?.sha256 ?? createHash('sha256').update(input.bytes!).digest('hex'),
      ...(filename ? { filename } : {}),
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
}
