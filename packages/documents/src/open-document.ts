import { RocheError, type DocumentType, type RgbImage } from '@roche/core';
import * as mupdf from 'mupdf';
import sharp from 'sharp';
import { decodeImage } from './decode.js';

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
  /** Renders page `index` (0-based); refuses pages over the pixel limit before allocating them. */
  renderPage(index: number): Promise<RgbImage>;
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

function checkPixels(index: number, w: number, h: number, limits: DocumentLimits): void {
  if (w * h > limits.maxPagePixels) {
    throw new RocheError('image_too_large', `page ${index + 1} is ${w}×${h} = ${w * h} pixels; the limit is ${limits.maxPagePixels}`, {
      details: { page: index + 1, width: w, height: h, maxPagePixels: limits.maxPagePixels },
    });
  }
}

/**
 * PDF through mupdf (WASM): parses the file once, renders single pages to RGB on demand and frees
 * each page's native objects right away, so memory follows one page, not the document.
 */
function openPdf(bytes: Buffer, limits: DocumentLimits): OpenedDocument {
  let doc: mupdf.Document;
  try {
    doc = mupdf.Document.openDocument(new Uint8Array(bytes), 'application/pdf');
  } catch (e) {
    throw new RocheError('corrupt_document', `cannot open the PDF: ${(e as Error).message}`, { cause: e });
  }
  let pageCount: number;
  try {
    if (doc.needsPassword()) {
      doc.destroy();
      throw new RocheError('encrypted_document', 'the PDF is password-protected; send it without a password');
    }
    pageCount = doc.countPages();
  } catch (e) {
    if (e instanceof RocheError) throw e;
    doc.destroy();
    throw new RocheError('corrupt_document', `cannot read the PDF's pages: ${(e as Error).message}`, { cause: e });
  }
  try {
    checkPageCount(pageCount, limits);
  } catch (e) {
    doc.destroy();
    throw e;
  }
  const scale = limits.dpi / 72;
  const withPage = <T>(index: number, fn: (page: mupdf.Page) => T): T => {
    if (!Number.isInteger(index) || index < 0 || index >= pageCount)
      throw new RangeError(`page index ${index} outside 0..${pageCount - 1}`);
    let page: mupdf.Page | undefined;
    try {
      page = doc.loadPage(index);
      return fn(page);
    } catch (e) {
      if (e instanceof RocheError || e instanceof RangeError) throw e;
      throw new RocheError('corrupt_document', `cannot render page ${index + 1}: ${(e as Error).message}`, { cause: e });
    } finally {
      page?.destroy();
    }
  };
  const sizeOf = (page: mupdf.Page) => {
    const [x0, y0, x1, y1] = page.getBounds();
    // mupdf's pixmap covers every pixel the page touches (fz_round_rect); match it exactly.
    const span = (a: number, b: number) => Math.max(1, Math.ceil(b * scale - 0.001) - Math.floor(a * scale + 0.001));
    return { width: span(x0, x1), height: span(y0, y1) };
  };
  return {
    type: 'pdf',
    pageCount,
    pageSize: (index) => withPage(index, sizeOf),
    async renderPage(index) {
      return withPage(index, (page) => {
        const { width, height } = sizeOf(page);
        checkPixels(index, width, height, limits);
        const pix = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
        try {
          const w = pix.getWidth();
          const h = pix.getHeight();
          const stride = pix.getStride();
          const src = pix.getPixels();
          // Copy out of WASM memory (and drop row padding) before the pixmap is freed.
          const data = Buffer.allocUnsafe(w * h * 3);
          if (stride === w * 3) data.set(src.subarray(0, w * h * 3));
          else for (let y = 0; y < h; y++) data.set(src.subarray(y * stride, y * stride + w * 3), y * w * 3);
          return { data, width: w, height: h };
        } finally {
          pix.destroy();
          // MuPDF keeps decoded fonts and images in a store of up to 256 MB, and the WASM heap never
          // gives memory back: emptying it after each page keeps the heap near one page's needs.
          mupdf.emptyStore();
        }
      });
    },
    close: () => doc.destroy(),
  };
}

/** Raster inputs through sharp: multi-page TIFF pages, or the one page of PNG/JPEG/WebP. */
async function openRaster(bytes: Buffer, type: DocumentType, limits: DocumentLimits): Promise<OpenedDocument> {
  let pages: number;
  try {
    pages = (await sharp(bytes, { limitInputPixels: false }).metadata()).pages ?? 1;
  } catch (e) {
    throw new RocheError('corrupt_document', `cannot read the image: ${(e as Error).message}`, { cause: e });
  }
  if (type !== 'tiff') pages = 1; // animated WebP frames are not pages
  checkPageCount(pages, limits);
  const sizes: Array<{ width: number; height: number }> = [];
  for (let i = 0; i < pages; i++) {
    let m;
    try {
      m = await sharp(bytes, { page: i, limitInputPixels: false }).metadata();
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
      return decodeImage(bytes, limits, index);
    },
    close() {},
  };
}

/**
 * Opens PDF, TIFF, PNG, JPEG or WebP bytes. Fails with `corrupt_document`,
 * `encrypted_document`, `too_many_pages` or `unsupported_media_type`.
 */
export async function openDocument(bytes: Buffer, type: DocumentType, limits: DocumentLimits): Promise<OpenedDocument> {
  switch (type) {
    case 'pdf':
      return openPdf(bytes, limits);
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'tiff':
      return openRaster(bytes, type, limits);
    default:
      throw new RocheError('unsupported_media_type', `unsupported document type ${String(type)}`);
  }
}
