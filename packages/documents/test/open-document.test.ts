import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeCorruptPdf, makeEncryptedPdf, makeMultipageTiff, makePageBombPdf, makeTextPdf } from '../../../test/support/documents.js';
import { SHARED_SAMPLES } from '../../../test/support/service.js';
import { cropRegion } from '../src/crop.js';
import { openDocument } from '../src/open-document.js';

const LIMITS = { maxPages: 100, maxPagePixels: 50_000_000, dpi: 72 };
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe('openDocument', () => {
  it('renders a generated PDF page by page at the requested dpi', async () => {
    const doc = await openDocument(makeTextPdf(3), 'pdf', { ...LIMITS, dpi: 144 });
    expect(doc.pageCount).toBe(3);
    expect(doc.pageSize(2)).toEqual({ width: 1224, height: 1584 });
    const page = await doc.renderPage(0);
    expect([page.width, page.height, page.data.length]).toEqual([1224, 1584, 1224 * 1584 * 3]);
    // Text was drawn: some pixels are dark, most are white.
    let dark = 0;
    for (let i = 0; i < page.data.length; i += 3) if (page.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(1000);
    expect(dark).toBeLessThan((page.data.length / 3) * 0.2);
    expect(() => doc.pageSize(3)).toThrow(RangeError);
    doc.close();
  });

  it.skipIf(!fs.existsSync(path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf')))('opens the real sample PDFs (fw9 has forms and JavaScript)', async () => {
    const fw9 = await openDocument(fs.readFileSync(path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf')), 'pdf', LIMITS);
    expect(fw9.pageCount).toBe(6);
    expect(fw9.pageSize(0)).toEqual({ width: 612, height: 792 });
    const flash = await openDocument(fs.readFileSync(path.join(SHARED_SAMPLES, 'pdfs', 'Flash-Masques-Temperature.pdf')), 'pdf', LIMITS);
    expect(flash.pageCount).toBe(4);
    expect(flash.pageSize(0)).toEqual({ width: 596, height: 842 }); // A4: 595.3 pt covers 596 pixels
    expect((await flash.renderPage(3)).width).toBe(596);
    fw9.close();
    flash.close();
  });

  it('refuses encrypted, corrupt, oversized and over-long documents with stable codes', async () => {
    expect(await code(openDocument(makeEncryptedPdf(), 'pdf', LIMITS))).toBe('encrypted_document');
    expect(await code(openDocument(makeCorruptPdf(), 'pdf', LIMITS))).toBe('corrupt_document');
    expect(await code(openDocument(makeTextPdf(5), 'pdf', { ...LIMITS, maxPages: 4 }))).toBe('too_many_pages');
    const bomb = await openDocument(makePageBombPdf(), 'pdf', LIMITS);
    expect(bomb.pageSize(0)).toEqual({ width: 14400, height: 14400 });
    expect(await code(bomb.renderPage(0))).toBe('image_too_large');
    expect(await code(openDocument(Buffer.from('\x89PNG\r\n\x1a\n garbage'), 'png', LIMITS))).toBe('corrupt_document');
  });

  it('splits a multi-page TIFF into its pages', async () => {
    const doc = await openDocument(await makeMultipageTiff(3), 'tiff', LIMITS);
    expect(doc.pageCount).toBe(3);
    const pages = await Promise.all([0, 1, 2].map((i) => doc.renderPage(i)));
    // Each page has a dark block of a different height: 20, 30, 40 rows.
    const darkRows = pages.map((p) => {
      let rows = 0;
      for (let y = 0; y < p.height; y++) if (p.data[(y * p.width + 100) * 3]! < 50) rows++;
      return rows;
    });
    expect(darkRows).toEqual([20, 30, 40]);
  });

  it('applies EXIF orientation to JPEG pages', async () => {
    // 60 wide × 40 high stored, orientation 6 (rotate 90° clockwise to view) → 40 × 60 page.
    const jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#888' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const doc = await openDocument(jpeg, 'jpeg', LIMITS);
    expect(doc.pageSize(0)).toEqual({ width: 40, height: 60 });
    const page = await doc.renderPage(0);
    expect([page.width, page.height]).toEqual([40, 60]);
  });

  it('crops a region clamped to the page', async () => {
    const doc = await openDocument(makeTextPdf(1), 'pdf', LIMITS);
    const page = await doc.renderPage(0);
    const png = await cropRegion(page, [600, 780, 700, 900]);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([12, 12]);
    doc.close();
  });
});

it('pageSize predicts the rendered size exactly, also for fractional page sizes', async () => {
  const mupdf = await import('mupdf');
  const pdf = new mupdf.PDFDocument();
  pdf.insertPage(-1, pdf.addPage([0, 0, 595.3, 841.9], 0, pdf.addObject({}), ''));
  const doc = await openDocument(Buffer.from(pdf.saveToBuffer('').asUint8Array()), 'pdf', { ...LIMITS, dpi: 100 });
  const img = await doc.renderPage(0);
  expect(doc.pageSize(0)).toEqual({ width: img.width, height: img.height });
  doc.close();
});
