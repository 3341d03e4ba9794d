import fs from 'node:fs';
import { createRequire } from 'node:module';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';

/**
 * PDFium (BSD/Apache-2.0, the engine of Chrome's PDF viewer) compiled to WebAssembly, loaded once per
 * process from the package's own .wasm file: no network, no native build. One module serves every
 * document of the process; each document lives in its heap until closed.
 */
let loading: Promise<WrappedPdfiumModule> | null = null;

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
    return m;
  })();
  return loading;
}

/** FPDF_GetLastError codes. */
export const FPDF_ERR = { SUCCESS: 0, UNKNOWN: 1, FILE: 2, FORMAT: 3, PASSWORD: 4, SECURITY: 5, PAGE: 6 } as const;
