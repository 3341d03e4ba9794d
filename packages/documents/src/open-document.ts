import { RocheError, type DocumentType, type PageTextLayer, type RgbImage } from '@roche/core';
import fs from 'node:fs';
import { imageSize } from 'image-size';
import sharp, { type Metadata } from 'sharp';
import { assertCheapToDecode, decodeCheckedImage } from './decode.js';
import { FPDF_ERR, isWasmAbort, pdfium, pdfiumFailure } from './pdfium.js';
import { readTextLayer } from './pdf-text.js';
import { withReader } from './read-at.js';
import { tiffPageSizes } from './tiff-pages.js';
import { usableTextLayer } from './text-lines.js';

export interface DocumentLimits {
  maxPages: number;
  maxPagePixels: number;
  /** Rasterization resolution for PDF pages (raster inputs keep their own pixels). */
  dpi: number;
}

/** A document opened for page-by-page rendering. Nothing renders until asked for, one page at a time. */
export interface OpenedDocument {
  readonly type: DocumentType;
  readonly pageCount: number;
  /** Size in pixels of page `index` (0-based) as it will render, without rendering it. */
  pageSize(index: number): { width: number; height: number };
  /**
   * Renders page `index` (0-based); refuses pages over the pixel limit before allocating them.
   * PDF pages are written into `into` when it is given and large enough (the image's data is then a view of it).
   */
  renderPage(index: number, into?: Uint8Array): Promise<RgbImage>;
  /**
   * PDF pages: the text layer of page `index` in the pixels `renderPage` produces, or null when the
   * page has none worth using (scans, image-only pages: the caller then finds text by pixels).
   * Raster documents leave it out.
   */
  textLayer?(index: number): Promise<PageTextLayer | null>;
  close(): void;
}

function checkPageCount(n: number, limits: DocumentLimits): void {
  if (n < 1) throw new RocheError('corrupt_document', 'the document has no pages');
  if (n > limits.maxPages) {
    throw new RocheError('too_many_pages', `the document has ${n} pages; the limit is ${limits.maxPages}`, {
      details: { pages: n, maxPages: limits.maxPages },
    });
  }
}

/** Refuses a page index outside the document, or any use of a closed document. */
export function checkPageIndex(index: number, pageCount: number, closed: boolean): void {
  if (!Number.isInteger(index) || index < 0 || index >= pageCount) throw new RangeError(`page index ${index} outside 0..${pageCount - 1}`);
  if (closed) throw new Error('the document is closed');
}

function checkPixels(index: number, w: number, h: number, limits: DocumentLimits): void {
  if (w * h > limits.maxPagePixels) {
    throw new RocheError('image_too_large', `page ${index + 1} is ${w}×${h} = ${w * h} pixels; the limit is ${limits.maxPagePixels}`, {
      details: { page: index + 1, width: w, height: h, maxPagePixels: limits.maxPagePixels },
    });
  }
}

/**
 * PDF through PDFium (WASM): parses the file once, renders single pages to RGB on demand and frees
 * each page's objects right away, so memory follows one page, not the document.
 */
async function openPdf(source: Buffer | { file: string }, limits: DocumentLimits): Promise<OpenedDocument> {
  const m = await pdfium();
  const heap = () => (m.pdfium as unknown as { HEAPU8: Uint8Array }).HEAPU8;
  const malloc = (n: number) => m.pdfium.wasmExports.malloc(n) as number;
  const free = (p: number) => m.pdfium.wasmExports.free(p);
  // Opening reads the cross-reference data and the page tree, which a small hostile file can make
  // inflate to gigabytes: PDFium's module aborts, and that is the document's fault, not a retry's.
  let input: { doc: number; release: () => void; closeFile?: () => void };
  try {
    input = Buffer.isBuffer(source) ? inMemory(m, source) : fromFile(m, source.file);
  } catch (e) {
    throw pdfiumFailure(m, null, e);
  }
  const doc = input.doc;
  const release = input.release;
  if (!doc) {
    const err = m.FPDF_GetLastError();
    release();
    if (err === FPDF_ERR.PASSWORD) throw new RocheError('encrypted_document', 'the PDF is password-protected; send it without a password');
    if (err === FPDF_ERR.SECURITY) throw new RocheError('encrypted_document', 'the PDF uses an unsupported security handler');
    // PDFium says only which kind of failure; a client needs words, and the code for a bug report.
    const why =
      err === FPDF_ERR.FORMAT
        ? 'it is damaged, cut short or not a PDF inside'
        : err === FPDF_ERR.FILE
          ? 'it cannot be read'
          : 'PDFium could not parse it';
    throw new RocheError('corrupt_document', `cannot open the PDF: ${why} (PDFium error ${err})`);
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    m.FPDF_CloseDocument(doc);
    release();
  };
  let pageCount: number;
  try {
    pageCount = m.FPDF_GetPageCount(doc);
    checkPageCount(pageCount, limits);
  } catch (e) {
    // After an abort the module is gone, and its heap with it; an open file is not.
    if (isWasmAbort(e)) input.closeFile?.();
    else close();
    throw pdfiumFailure(m, null, e);
  }
  const scale = limits.dpi / 72;
  const sizeBuf = malloc(8);
  const check = (index: number) => checkPageIndex(index, pageCount, closed);
  const pageSize = (index: number) => {
    check(index);
    // The page's size as displayed (after /Rotate), in points.
    let found: boolean;
    try {
      found = m.FPDF_GetPageSizeByIndexF(doc, index, sizeBuf);
    } catch (e) {
      throw pdfiumFailure(m, index, e, 'read');
    }
    if (!found)
      throw new RocheError(
        'corrupt_document',
        `cannot read page ${index + 1} of the ${pageCount} pages the PDF's page tree lists: the page tree is damaged (its /Count says more pages than it holds?)`,
      );
    const [w, h] = new Float32Array(heap().buffer, sizeBuf, 2);
    // Every pixel the page touches, as MuPDF and pdftoppm size their output.
    const span = (v: number) => Math.max(1, Math.ceil(v * scale - 0.001));
    return { width: span(w!), height: span(h!) };
  };
  return {
    type: 'pdf',
    pageCount,
    pageSize,
    async renderPage(index, into) {
      try {
        return renderPdfPage(index, into);
      } catch (e) {
        throw pdfiumFailure(m, index, e);
      }
    },
    async textLayer(index) {
      try {
        return pdfTextLayer(index);
      } catch (e) {
        throw pdfiumFailure(m, index, e);
      }
    },
    close() {
      close();
      free(sizeBuf);
    },
  };

  function renderPdfPage(index: number, into?: Uint8Array): RgbImage {
    const { width, height } = pageSize(index);
    checkPixels(index, width, height, limits);
    const page = m.FPDF_LoadPage(doc, index);
    if (!page) throw new RocheError('corrupt_document', `cannot load page ${index + 1} (PDFium error ${m.FPDF_GetLastError()})`);
    // BGR, 3 bytes per pixel: no alpha to strip, one copy out of the WASM heap.
    const bitmap = m.FPDFBitmap_CreateEx(width, height, 2, 0, 0);
    try {
      if (!bitmap) throw new RocheError('image_too_large', `page ${index + 1}: no memory for ${width}×${height} pixels`);
      m.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
      // FPDF_ANNOT (annotations and form widgets, as a viewer shows the page) | FPDF_REVERSE_BYTE_ORDER
      // (RGB instead of BGR, so the pixels leave the WASM heap with one copy per row).
      m.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, 0x01 | 0x10);
      const stride = m.FPDFBitmap_GetStride(bitmap);
      const at = m.FPDFBitmap_GetBuffer(bitmap);
      const src = heap().subarray(at, at + stride * height);
      const n = width * height * 3;
      const out = into && into.byteLength >= n ? Buffer.from(into.buffer, into.byteOffset, n) : Buffer.allocUnsafe(n);
      if (stride === width * 3) out.set(src);
      else for (let y = 0; y < height; y++) out.set(src.subarray(y * stride, y * stride + width * 3), y * width * 3);
      return { data: out, width, height };
    } finally {
      if (bitmap) m.FPDFBitmap_Destroy(bitmap);
      m.FPDF_ClosePage(page);
    }
  }

  function pdfTextLayer(index: number): PageTextLayer | null {
    const { width, height } = pageSize(index);
    const page = m.FPDF_LoadPage(doc, index);
    if (!page) throw new RocheError('corrupt_document', `cannot load page ${index + 1} (PDFium error ${m.FPDF_GetLastError()})`);
    try {
      const layer = readTextLayer(m, page, width, height);
      return usableTextLayer(layer) ? layer : null;
    } finally {
      m.FPDF_ClosePage(page);
    }
  }
}

type Pdfium = Awaited<ReturnType<typeof pdfium>>;

/** A PDF held whole in the WebAssembly heap: PDFium reads from this copy for as long as it is open. */
function inMemory(m: Pdfium, bytes: Buffer): { doc: number; release: () => void } {
  const data = m.pdfium.wasmExports.malloc(bytes.length) as number;
  // Read the heap view after malloc: growing the memory detaches earlier views.
  (m.pdfium as unknown as { HEAPU8: Uint8Array }).HEAPU8.set(bytes, data);
  return { doc: m.FPDF_LoadMemDocument(data, bytes.length, ''), release: () => m.pdfium.wasmExports.free(data) };
}

/**
 * A PDF read from a file on demand through FPDF_LoadCustomDocument: PDFium asks for the blocks it
 * needs (trailer, xref, the objects of the pages it opens), so a 150 MiB upload is counted and
 * checked without 150 MiB in memory (measured in bench/upload-rss.ts).
 */
function fromFile(m: Pdfium, file: string): { doc: number; release: () => void; closeFile: () => void } {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  if (size > 0xffffffff) {
    fs.closeSync(fd);
    throw new RocheError('payload_too_large', 'PDFs over 4 GiB cannot be read');
  }
  const rt = m.pdfium as unknown as { HEAPU8: Uint8Array; HEAPU32: Uint32Array };
  // int GetBlock(void* param, unsigned long position, unsigned char* buf, unsigned long size): non-zero = read.
  const getBlock = m.pdfium.addFunction((_param: number, position: number, buf: number, len: number) => {
    try {
      const pos = position >>> 0;
      const n = len >>> 0;
      if (pos + n > size) return 0;
      return fs.readSync(fd, rt.HEAPU8, buf, n, pos) === n ? 1 : 0;
    } catch {
      return 0;
    }
  }, 'iiiii');
  // FPDF_FILEACCESS { unsigned long m_FileLen; GetBlock* m_GetBlock; void* m_Param } — 3 × 32 bits in wasm32.
  const access = m.pdfium.wasmExports.malloc(12) as number;
  rt.HEAPU32.set([size, getBlock, 0], access >>> 2);
  let doc: number;
  try {
    doc = m.FPDF_LoadCustomDocument(access, '');
  } catch (e) {
    // The module aborted (see openPdf): its heap goes with it, but the file stays open unless closed
    // here, and a deleted staged upload keeps its disk space for as long as it is.
    fs.closeSync(fd);
    throw e;
  }
  return {
    doc,
    release: () => {
      fs.closeSync(fd);
      m.pdfium.wasmExports.free(access);
      m.pdfium.removeFunction(getBlock);
    },
    closeFile: () => fs.closeSync(fd),
  };
}

/**
 * The page sizes of a multi-page TIFF whose pages all match, read in one pass (libvips checks every
 * page against the first when asked for all of them), or none when they differ. Asking page by page
 * costs O(pages²): libtiff walks the directory chain from the start for each, ~17 ms a page at 2000
 * pages — 37 s of API CPU for a 548 KB TIFF of 1999 tiny pages; this way 0.1 s.
 */
async function uniformPages(bytes: Buffer | string, pages: number, first: Metadata): Promise<Array<{ width: number; height: number }>> {
  let all: Metadata;
  try {
    all = await sharp(bytes, { pages: -1, limitInputPixels: false }).metadata();
  } catch {
    return []; // pages differ (or one is unreadable): read them one by one
  }
  const h = all.pageHeight;
  if (!h || all.pages !== pages || all.width !== first.width || all.height !== h * pages) return [];
  const swap = (first.orientation ?? 1) >= 5;
  return Array.from({ length: pages }, () => ({ width: swap ? h : all.width!, height: swap ? all.width! : h }));
}

/** Mixed-size TIFF pages that may be measured one by one by libvips when the chain reader cannot (O(pages²)). */
const PAGE_BY_PAGE_MAX = 64;

/** PNG's and WebP's sizes sit in their first 30 bytes. */
const HEADER_BYTES = 1024;

/**
 * The size of a PNG or WebP in memory read from its header in JavaScript, or undefined to ask sharp.
 * sharp's metadata cost 0.2 ms of CPU for a small PNG (its native call and thread-pool hop), a sixth
 * of the API's CPU per submit; the header read costs a few µs. Not JPEG: libjpeg skips fill bytes
 * before markers and image-size does not, so a crafted JPEG can show it a small frame header that the
 * decoder never reads (a review made a 12000×12000 JPEG read as 16×16). Not images with EXIF either
 * (sharp turns them upright; image-size reads no orientation outside JPEG), nor an Apple CgBI PNG or a
 * header of another type than the one sniffed. Whatever is left goes to sharp, whose error is the
 * one the caller sees.
 */
function headerSize(bytes: Buffer | string, type: DocumentType): { width: number; height: number } | undefined {
  if (typeof bytes === 'string' || (type !== 'png' && type !== 'webp')) return undefined;
  if (type === 'png' ? bytes.toString('latin1', 12, 16) !== 'IHDR' || bytes.includes('eXIf') : bytes.includes('EXIF')) return undefined;
  try {
    // An exact copy of the head: image-size reads through the whole ArrayBuffer behind a view, so a
    // truncated header would be completed from whatever shares the buffer's memory.
    const s = imageSize(new Uint8Array(bytes.subarray(0, HEADER_BYTES)));
    return s.type === type && s.width > 0 && s.height > 0 ? { width: s.width, height: s.height } : undefined;
  } catch {
    return undefined;
  }
}

/** Raster inputs: multi-page TIFF pages, or the one page of PNG/JPEG/WebP, measured by sharp or from the header. */
async function openRaster(bytes: Buffer | string, type: DocumentType, limits: DocumentLimits): Promise<OpenedDocument> {
  assertCheapToDecode(bytes);
  const known = headerSize(bytes, type);
  let pages = 1;
  let first: Metadata | undefined;
  if (!known) {
    try {
      first = await sharp(bytes, { limitInputPixels: false }).metadata();
      pages = first.pages ?? 1;
    } catch (e) {
      throw new RocheError('corrupt_document', `cannot read the image: ${(e as Error).message}`, { cause: e });
    }
  }
  if (type !== 'tiff') pages = 1; // animated WebP frames are not pages
  checkPageCount(pages, limits);
  const sizes: Array<{ width: number; height: number }> = known ? [known] : pages > 1 ? await uniformPages(bytes, pages, first!) : [];
  if (pages > 1 && !sizes.length) {
    const chain = withReader(bytes, (read) => tiffPageSizes(read, pages));
    if (chain?.length === pages) {
      for (const p of chain) sizes.push(p.orientation >= 5 ? { width: p.height, height: p.width } : { width: p.width, height: p.height });
    } else if (pages > PAGE_BY_PAGE_MAX) {
      // libvips would measure them one by one, in time that grows with the square of the pages.
      throw new RocheError('corrupt_document', `cannot read the page sizes of this ${pages}-page TIFF (its directory chain is unreadable)`);
    }
  }
  for (let i = sizes.length; i < pages; i++) {
    let m;
    try {
      m = i === 0 && first ? first : await sharp(bytes, { page: i, limitInputPixels: false }).metadata();
    } catch (e) {
      throw new RocheError('corrupt_document', `cannot read page ${i + 1} of the image: ${(e as Error).message}`, { cause: e });
    }
    const swap = (m.orientation ?? 1) >= 5; // EXIF orientations 5-8 turn the image a quarter
    sizes.push({ width: (swap ? m.height : m.width) ?? 0, height: (swap ? m.width : m.height) ?? 0 });
  }
  const pageSize = (index: number) => {
    const s = sizes[index];
    if (!s) throw new RangeError(`page index ${index} outside 0..${pages - 1}`);
    return s;
  };
  return {
    type,
    pageCount: pages,
    pageSize,
    async renderPage(index) {
      pageSize(index);
      // Checked once, when the document was opened.
      return decodeCheckedImage(bytes, limits, index);
    },
    close() {},
  };
}

/**
 * Opens PDF, TIFF, PNG, JPEG or WebP bytes. Fails with `corrupt_document`,
 * `encrypted_document`, `too_many_pages` or `unsupported_media_type`.
 */
export async function openDocument(input: Buffer | { file: string }, type: DocumentType, limits: DocumentLimits): Promise<OpenedDocument> {
  // sharp reads a file path itself, so a large image is not loaded whole to be measured either.
  const raster = Buffer.isBuffer(input) ? input : input.file;
  switch (type) {
    case 'pdf':
      return openPdf(input, limits);
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'tiff':
      return openRaster(raster, type, limits);
    default:
      throw new RocheError('unsupported_media_type', `unsupported document type ${String(type)}`);
  }
}
