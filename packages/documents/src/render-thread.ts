/**
 * Worker-thread side of the RenderPool: keeps the PDFs it was sent open (by the pool's document
 * id) and renders their pages or reads their text layers, one message at a time.
 * Messages: { id, op: 'open' | 'render' | 'text', doc, page?, bytes?, limits? } → { id, ... } | { id, error };
 * { op: 'close', doc } has no answer.
 */
import { parentPort } from 'node:worker_threads';
import { toRocheError } from '@roche/core';
import { openDocument, type DocumentLimits, type OpenedDocument } from './open-document.js';
import { isPdfiumFatal, PdfiumAborted, pdfium, pdfiumHeapBytes } from './pdfium.js';

export type RenderRequest =
  | {
      id: number;
      op: 'open' | 'render' | 'text';
      doc: number;
      page: number;
      bytes?: Uint8Array;
      limits: DocumentLimits;
      /** render: the pool's buffer the pixels go into (shared, so nothing is copied or transferred back). */
      target?: SharedArrayBuffer;
    }
  | { op: 'close'; doc: number };

const docs = new Map<number, Promise<OpenedDocument>>();

function opened(m: Extract<RenderRequest, { id: number }>): Promise<OpenedDocument> {
  let d = docs.get(m.doc);
  if (!d) {
    if (!m.bytes) return Promise.reject(new Error(`document ${m.doc} is not open on this thread`));
    d = openDocument(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength), 'pdf', m.limits);
    docs.set(m.doc, d);
    d.catch(() => docs.get(m.doc) === d && docs.delete(m.doc));
  }
  return d;
}

const ready = pdfium().then(
  () => undefined,
  () => undefined, // the request that needs it reports the error
);

parentPort!.on('message', async (m: RenderRequest) => {
  if (m.op === 'close') {
    const d = docs.get(m.doc);
    docs.delete(m.doc);
    d?.then(
      (doc) => doc.close(),
      () => {},
    );
    return;
  }
  // The pool's time limit runs from here: loading PDFium (a second or more on a busy machine) and
  // waiting behind other requests are not the page's fault.
  await ready;
  parentPort!.postMessage({ id: m.id, started: true });
  try {
    await answer(m);
  } catch (e) {
    // PDFium's module failed under the page (see PdfiumAborted): the page fails for good, and this
    // thread's module is of no further use, so the pool replaces the thread.
    const fatal = isPdfiumFatal(e);
    const re = fatal && !(e instanceof PdfiumAborted) ? new PdfiumAborted(m.page, e) : toRocheError(e);
    parentPort!.postMessage({
      id: m.id,
      error: {
        code: re.code,
        message: re.message,
        details: re.details,
        status: re.status,
        retryable: re.retryable,
        range: e instanceof RangeError,
        open: docs.has(m.doc),
        fatal,
      },
    });
  }
});

async function answer(m: Extract<RenderRequest, { id: number }>): Promise<void> {
  const doc = await opened(m);
  if (m.op === 'open') {
    const sizes = new Uint32Array(doc.pageCount * 2);
    for (let i = 0; i < doc.pageCount; i++) {
      const { width, height } = doc.pageSize(i);
      sizes[2 * i] = width;
      sizes[2 * i + 1] = height;
    }
    parentPort!.postMessage({ id: m.id, sizes, heap: pdfiumHeapBytes() }, [sizes.buffer]);
  } else if (m.op === 'render') {
    const into = m.target ? new Uint8Array(m.target) : undefined;
    const img = await doc.renderPage(m.page, into);
    const heap = pdfiumHeapBytes();
    if (into && img.data.buffer === m.target) parentPort!.postMessage({ id: m.id, width: img.width, height: img.height, heap });
    else {
      // Transferred, not copied: the pixels must own their whole ArrayBuffer (small Buffers share a pool).
      const own = img.data.byteOffset === 0 && img.data.buffer.byteLength === img.data.byteLength ? img.data : new Uint8Array(img.data);
      parentPort!.postMessage({ id: m.id, width: img.width, height: img.height, data: own, heap }, [own.buffer as ArrayBuffer]);
    }
  } else {
    const layer = doc.textLayer ? await doc.textLayer(m.page) : null;
    parentPort!.postMessage({ id: m.id, layer, heap: pdfiumHeapBytes() });
  }
}
