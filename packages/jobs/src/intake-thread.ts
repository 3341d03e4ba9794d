/**
 * Worker-thread side of the IntakePool: opens a document to count and check its pages, off the
 * API's event loop. Messages: { id, bytes? | file?, type, limits, options } → { id, pages } | { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { toRocheError } from '@roche/core';
import { pdfium } from '@roche/documents';
import { selectPages } from './intake.js';

// Loading PDFium (a second or more on a fresh thread) is not the document's time.
const ready = pdfium().then(
  () => undefined,
  () => undefined, // the document that needs it reports the error
);

parentPort!.on('message', async (m: { id: number; bytes?: Uint8Array; file?: string; type: never; limits: never; options?: never }) => {
  await ready;
  // The pool's time limit runs from here.
  parentPort!.postMessage({ id: m.id, started: true });
  try {
    // A staged file is read by the document engine on demand, never loaded whole.
    const input = m.bytes ? Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) : { file: m.file! };
    const pages = await selectPages(m.limits, input, m.type, m.options);
    parentPort!.postMessage({ id: m.id, pages });
  } catch (e) {
    const re = toRocheError(e);
    parentPort!.postMessage({ id: m.id, error: { code: re.code, message: re.message, details: re.details, status: re.status } });
  }
});
