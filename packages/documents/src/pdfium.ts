import fs from 'node:fs';
import { createRequire } from 'node:module';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';
import { RocheError } from '@roche/core';

/**
 * PDFium (BSD/Apache-2.0, the engine of Chrome's PDF viewer) compiled to WebAssembly, loaded once per
 * process from the package's own .wasm file: no network, no native build. One module serves every
 * document of the process; each document lives in its heap until closed.
 */
let loading: Promise<WrappedPdfiumModule> | null = null;
let loaded: WrappedPdfiumModule | null = null;

export function pdfium(): Promise<WrappedPdfiumModule> {
  loading ??= (async () => {
    const file = createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm');
    const bytes = fs.readFileSync(file);
    // A module running out of heap prints one line per failed allocation (thousands before it
    // aborts); the abort itself reaches the caller as an error, so a few lines are enough here.
    let lines = 0;
    const m = await init({
      wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      printErr: (line: string) => void (++lines <= 5 && console.error(`pdfium: ${line}`)),
    } as Parameters<typeof init>[0]);
    m.PDFiumExt_Init();
    loaded = m;
    return m;
  })();
  return loading;
}

/**
 * PDFium's module failed under a page (a WebAssembly abort: the 2 GiB heap exhausted by forms that
 * draw each other billions of times). The module is of no further use: documents opened after this
 * get a fresh one (a render thread is replaced instead). The page fails for good: a retry would cost
 * the same time and memory again.
 */
export class PdfiumAborted extends RocheError {
  constructor(page: number, cause: unknown) {
    super(
      'corrupt_document',
      `page ${page + 1} cannot be rendered: PDFium gave up (${String((cause as Error)?.message).slice(0, 120)}); the drawing is too complex`,
      { retryable: false, cause },
    );
  }
}

/**
 * The error a PDFium call threw, translated: a module abort becomes `PdfiumAborted` (and the module
 * is dropped so later documents load a fresh one) when `m` is the current module; on a module already
 * dropped by another document's abort, the page is worth another try on a fresh one.
 */
export function pdfiumFailure(m: WrappedPdfiumModule, page: number, e: unknown): unknown {
  if (!isWasmAbort(e)) return e;
  const current = loaded === m;
  if (current) {
    loading = null;
    loaded = null;
  }
  return current
    ? new PdfiumAborted(page, e)
    : new RocheError('internal', `page ${page + 1}: PDFium was restarted under this document; the page can be tried again`, {
        retryable: true,
        cause: e,
      });
}

/** Whether an error is the WebAssembly module failing (abort, trap), not PDFium reporting a bad document. */
export function isWasmAbort(e: unknown): boolean {
  return (
    (e as Error)?.name === 'RuntimeError' ||
    /^Aborted\(|Cannot enlarge memory|memory access out of bounds/.test((e as Error)?.message ?? '')
  );
}

/** FPDF_GetLastError codes. */
export const FPDF_ERR = { SUCCESS: 0, UNKNOWN: 1, FILE: 2, FORMAT: 3, PASSWORD: 4, SECURITY: 5, PAGE: 6 } as const;
