import fs from 'node:fs';
import { createRequire } from 'node:module';
import { init } from '@embedpdf/pdfium';
import { describe, expect, it } from 'vitest';
import { RocheError } from '@roche/core';
import { makeTextPdf } from '../../../test/support/documents.js';
import { openDocument } from '../src/open-document.js';
import { PdfiumAborted, pdfium, pdfiumFailure, withMemoryLimit } from '../src/pdfium.js';

// The error a WebAssembly trap or abort throws (the project's TypeScript lib has no WebAssembly types).
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly.RuntimeError;
const LIMITS = { maxPages: 10, maxPagePixels: 50_000_000, dpi: 72 };

// In-process rendering (ROCHE_RENDER_THREADS=0) has no thread to replace: an aborted module must be
// dropped so later documents load a fresh one. (The abort itself is rendered for real, on a thread,
// in render-pool.test.ts; it costs 12 s and 2 GB, too much to repeat in this process.)
describe('pdfiumFailure', () => {
  it('passes PDFium errors through and leaves the module alone', async () => {
    const m = await pdfium();
    const e = new RocheError('corrupt_document', 'cannot load page 1');
    expect(pdfiumFailure(m, 0, e)).toBe(e);
    expect(await pdfium()).toBe(m);
  });

  it('turns a module abort into a final page error and loads a fresh module for later documents', async () => {
    const before = await pdfium();
    const open = await openDocument(makeTextPdf(1), 'pdf', LIMITS);
    const e = pdfiumFailure(before, 2, new WasmRuntimeError('Aborted(OOM)'));
    expect(e).toBeInstanceOf(PdfiumAborted);
    expect([(e as RocheError).code, (e as RocheError).retryable]).toEqual(['corrupt_document', false]);
    expect((e as Error).message).toMatch(/^page 3 cannot be rendered: PDFium gave up/);
    const after = await pdfium();
    expect(after).not.toBe(before);
    // Another document still on the dropped module: its pages are worth a retry, which reopens it.
    const again = pdfiumFailure(before, 0, new Error('memory access out of bounds')) as RocheError;
    expect([again.code, again.retryable]).toEqual(['internal', true]);
    open.close();
    const doc = await openDocument(makeTextPdf(1), 'pdf', LIMITS);
    expect((await doc.renderPage(0)).width).toBe(612);
    doc.close();
  });
});

describe('withMemoryLimit', () => {
  const wasm = fs.readFileSync(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm'));
  /** Whether a fresh module of `binary` can allocate 400 MB. */
  const allocates400MB = async (binary: Buffer) => {
    const m = await init({
      wasmBinary: binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength) as ArrayBuffer,
      printErr: () => {},
    } as Parameters<typeof init>[0]);
    const mod = m.pdfium as unknown as { _malloc(n: number): number; _free(p: number): void };
    const p = mod._malloc(400 * 2 ** 20);
    if (p) mod._free(p);
    return p !== 0;
  };

  it("lowers the heap's maximum in the module's own binary: PDFium cannot grow past it", async () => {
    const capped = withMemoryLimit(wasm, 256 * 2 ** 20);
    expect(capped.length).toBe(wasm.length);
    expect(await allocates400MB(capped)).toBe(false);
    expect(await allocates400MB(withMemoryLimit(wasm, 1024 * 2 ** 20))).toBe(true);
  });

  it("never raises it past the build's own 2 GiB", () => {
    expect(withMemoryLimit(wasm, 4 * 2 ** 30).equals(wasm)).toBe(true);
    expect(() => withMemoryLimit(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 2 ** 20)).toThrow(/no memory/);
  });
});
