/**
 * Worker-thread side of the IntakePool: opens a document to count and check its pages, off the
 * API's event loop.
 */
import { serveRequests, type Config, type DocumentType, type JobOptions } from '@roche/core';
import { isPdfiumFatal, pdfium, pdfiumHeapBytes, RETIRE_HEAP_BYTES } from '@roche/documents';
import { selectPages } from './intake.js';

export interface IntakeRequest {
  /** The document in memory, or a staged file the document engine reads on demand (never loaded whole). */
  bytes?: Uint8Array;
  file?: string;
  type: DocumentType;
  limits: Config['limits'];
  options?: JobOptions;
}

// Loading PDFium (a second or more on a fresh thread) is the thread's load, not the document's time;
// a failure to load is reported by the document that needs it.
await pdfium().catch(() => undefined);

serveRequests<IntakeRequest, number[]>(
  (m) => {
    const input = m.bytes ? Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) : { file: m.file! };
    return selectPages(m.limits, input, m.type, m.options);
  },
  {
    // A document that made PDFium abort, or grew its heap (which never shrinks) past the limit, ends
    // the thread: a 2 KB PDF took two threads to 2 GiB each, held until they were idle for 30 s.
    retire: (e) => isPdfiumFatal(e) || pdfiumHeapBytes() > RETIRE_HEAP_BYTES,
  },
);
