import { RocheError, TimedThreadPool, type Config, type DocumentType, type JobOptions } from '@roche/core';
import type { IntakeRequest } from './intake-thread.js';

/** A document to check: small ones travel as bytes, large ones as a staged file the thread reads itself. */
export type IntakeSource = { bytes: Buffer } | { file: string; size: number };

/** Documents above this size run one at a time, on a thread that is ended afterwards (a WebAssembly heap never shrinks). */
export const LARGE_DOCUMENT_BYTES = 16 * 1024 * 1024;
const IDLE_MS = 30_000;

/** How long opening one document and counting its pages may take at submit (ROCHE_INTAKE_TIMEOUT_MS). */
export const DEFAULT_INTAKE_TIMEOUT_MS = 60_000;

/**
 * A bounded pool of worker threads that open documents at submit (count pages, check limits), so
 * a 200 MB PDF parsed by PDFium never stalls the API's event loop. At most `size` documents are
 * open at once, and at most one large one, which bounds the memory intake can take. A document
 * that takes longer than the time limit to open has its thread stopped: a hostile document can take
 * minutes (a TIFF of thousands of mixed-size pages did, O(pages²) in libtiff, before tiff-pages.ts; a
 * parser's next slow path is not known yet), and a few such uploads must not hold every intake thread
 * and stall all submits.
 */
export class IntakePool {
  private readonly pool: TimedThreadPool<IntakeRequest, number[]>;

  constructor(
    private readonly limits: Config['limits'],
    size = 2,
    timeoutMs = DEFAULT_INTAKE_TIMEOUT_MS,
  ) {
    this.pool = new TimedThreadPool(new URL('./intake-thread.ts', import.meta.url), {
      threads: size,
      timeoutMs,
      name: 'intake',
      background: true,
      idleMs: IDLE_MS,
      timeoutError: (_what, ms) =>
        new RocheError('corrupt_document', `the document took over ${ms / 1000} s to open and count its pages; it is too complex`),
    });
  }

  selectPages(source: IntakeSource, type: DocumentType, options?: JobOptions): Promise<number[]> {
    const common = { type, limits: this.limits, options };
    if ('bytes' in source) {
      // A copy the thread owns (transferred, not cloned again); the caller keeps its buffer.
      const bytes = new Uint8Array(source.bytes);
      return this.pool.run({ ...common, bytes }, 'the document', {
        transfer: [bytes.buffer],
        exclusive: bytes.length > LARGE_DOCUMENT_BYTES,
      });
    }
    return this.pool.run({ ...common, file: source.file }, 'the document', { exclusive: source.size > LARGE_DOCUMENT_BYTES });
  }

  /** Threads alive now (for tests). */
  get threads(): number {
    return this.pool.size;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
