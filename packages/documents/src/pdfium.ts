import fs from 'node:fs';
import { createRequire } from 'node:module';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';
import { pdfiumHeapLimitBytes, RocheError } from '@roche/core';

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
    const bytes = cappedModule(fs.readFileSync(file), pdfiumHeapLimitBytes());
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

/** The module with its heap capped, or as built (with a warning) if a future build's memory cannot be found to cap. */
function cappedModule(wasm: Buffer, limitBytes: number): Buffer {
  try {
    return withMemoryLimit(wasm, limitBytes);
  } catch (e) {
    console.error(`pdfium: ROCHE_PDFIUM_HEAP_MB not applied (${(e as Error).message}); the heap may grow to the build's own maximum`);
    return wasm;
  }
}

/**
 * The module's binary with its memory's declared maximum lowered to `limitBytes` (never raised), so
 * the heap cannot grow past it: a page that needs more makes PDFium abort (PdfiumAborted) as it does
 * at the build's own 2 GiB, before it holds gigabytes of a worker's memory (a 2 GiB Kubernetes limit
 * with four render threads). The new maximum is written in as many LEB128 bytes as the old one
 * (padded), so no other offset in the file moves.
 */
export function withMemoryLimit(wasm: Buffer, limitBytes: number): Buffer {
  const out = Buffer.from(wasm);
  let p = 8; // magic and version
  const leb = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = out[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (p < out.length) {
    const id = out[p++]!;
    const size = leb();
    const end = p + size;
    // The memory section: one memory whose limits have a maximum (flags bit 0).
    if (id === 5 && leb() === 1 && (out[p++]! & 1) === 1) {
      leb(); // minimum
      const at = p;
      const max = leb();
      const pages = Math.max(1, Math.floor(limitBytes / 65536));
      if (pages >= max) return out;
      for (let i = at, v = pages; i < p; i++, v = Math.floor(v / 128)) out[i] = (v & 0x7f) | (i < p - 1 ? 0x80 : 0);
      return out;
    }
    p = end;
  }
  throw new Error('PDFium module: no memory with a maximum found');
}

/**
 * PDFium's module failed under a page, or while it opened the document (a WebAssembly abort: the
 * heap exhausted (ROCHE_PDFIUM_HEAP_MB; withMemoryLimit) by forms that draw each other billions of times, or by a cross-reference
 * stream that inflates to a gigabyte). The module is of no further use: documents opened after this
 * get a fresh one (a render or intake thread is replaced instead). The page, or the document, fails
 * for good: a retry would cost the same time and memory again.
 */
export class PdfiumAborted extends RocheError {
  constructor(page: number | null, cause: unknown, doing: 'rendered' | 'read' = 'rendered') {
    const why = `PDFium gave up (${String((cause as Error)?.message).slice(0, 120)})`;
    super(
      'corrupt_document',
      page === null
        ? `cannot open the PDF: ${why}; its structure is too large to read (a compressed stream that inflates to gigabytes?)`
        : doing === 'read'
          ? `page ${page + 1} cannot be read: ${why}; the page's objects are too large`
          : `page ${page + 1} cannot be rendered: ${why}; the drawing is too complex, or needs more memory than ROCHE_PDFIUM_HEAP_MB allows`,
      { retryable: false, cause },
    );
  }
}

/**
 * The error a PDFium call threw, translated: a module abort becomes `PdfiumAborted` (and the module
 * is dropped so later documents load a fresh one) when `m` is the current module; on a module already
 * dropped by another document's abort, the page is worth another try on a fresh one. `page` null:
 * the abort came while the document was being opened.
 */
export function pdfiumFailure(m: WrappedPdfiumModule, page: number | null, e: unknown, doing: 'rendered' | 'read' = 'rendered'): unknown {
  if (!isWasmAbort(e)) return e;
  const current = loaded === m;
  if (current) {
    loading = null;
    loaded = null;
  }
  const what = page === null ? 'the document' : `page ${page + 1}`;
  return current
    ? new PdfiumAborted(page, e, doing)
    : new RocheError('internal', `${what}: PDFium was restarted under this document; it can be tried again`, {
        retryable: true,
        cause: e,
      });
}

/**
 * The bytes of the loaded module's WebAssembly heap (0 when none is loaded). It only grows: a thread
 * whose heap a heavy document made large is replaced rather than kept.
 */
export function pdfiumHeapBytes(): number {
  return (loaded?.pdfium as unknown as { HEAPU8?: Uint8Array } | undefined)?.HEAPU8?.byteLength ?? 0;
}

/**
 * A thread whose PDFium heap passed this is replaced once idle (render and intake threads). A heavy
 * page can take it to 1-2 GiB (an audit saw 847 MB, then 1392 MB after a second page), and it stays
 * there for the thread's life: four such threads would hold gigabytes for pages that need tens of MB.
 */
export const RETIRE_HEAP_BYTES = 512 * 1024 * 1024;

/** Whether an error is the WebAssembly module failing (abort, trap), not PDFium reporting a bad document. */
export function isWasmAbort(e: unknown): boolean {
  return (
    (e as Error)?.name === 'RuntimeError' ||
    /^Aborted\(|Cannot enlarge memory|memory access out of bounds/.test((e as Error)?.message ?? '')
  );
}

/**
 * Whether an error means this thread's PDFium module is of no further use (it aborted, or the
 * abort is already translated): the thread that saw it is replaced.
 */
export function isPdfiumFatal(e: unknown): boolean {
  return e instanceof PdfiumAborted || isWasmAbort(e);
}

/** FPDF_GetLastError codes. */
export const FPDF_ERR = { SUCCESS: 0, UNKNOWN: 1, FILE: 2, FORMAT: 3, PASSWORD: 4, SECURITY: 5, PAGE: 6 } as const;
