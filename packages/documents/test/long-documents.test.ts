import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '@roche/core';
import { makeLongPdfFromSamples, makeTextPdf } from '../../../test/support/documents.js';
import { SHARED_SAMPLES } from '../../../test/support/service.js';
import { openDocument } from '../src/open-document.js';
import { parsePageRange } from '../src/page-range.js';

const LIMITS = { maxPages: 1000, maxPagePixels: 50_000_000, dpi: 72 };

/** Share of dark pixels in columns x0..x1 between rows y0..y1. */
function ink(img: RgbImage, x0: number, x1: number, y0: number, y1: number): number {
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img.data[(y * img.width + x) * 3]! < 128) dark++;
  return dark / ((x1 - x0) * (y1 - y0));
}

describe('long documents', () => {
  it('opens a generated 320-page text PDF and renders any page on its own', async () => {
    const pdf = makeTextPdf(320);
    const doc = await openDocument(pdf, 'pdf', LIMITS);
    expect(doc.pageCount).toBe(320);
    const selected = parsePageRange('1-2,160,319-', doc.pageCount);
    expect(selected).toEqual([1, 2, 160, 319, 320]);
    for (const p of selected) {
      expect(doc.pageSize(p - 1)).toEqual({ width: 612, height: 792 });
      const img = await doc.renderPage(p - 1);
      expect([img.width, img.height]).toEqual([612, 792]);
      // Body text runs between y ≈ 100 and 420 (72 dpi, top-left origin). Odd pages have two
      // columns with a gutter at x ≈ 290-315; even pages have one column of longer lines across it.
      const gutter = ink(img, 292, 316, 110, 400);
      const leftColumn = ink(img, 72, 250, 110, 400);
      expect(leftColumn).toBeGreaterThan(0.02);
      if (p % 2 === 1) expect(gutter).toBe(0);
      else expect(gutter).toBeGreaterThan(0.02);
    }
    expect(() => doc.pageSize(320)).toThrow(RangeError);
    doc.close();
  });

  it.skipIf(!fs.existsSync(path.join(SHARED_SAMPLES, 'pdfs')))('grafts the sample PDFs into a 300+ page document', async () => {
    const pdf = makeLongPdfFromSamples(301);
    expect(pdf).not.toBeNull();
    const doc = await openDocument(pdf!, 'pdf', LIMITS);
    expect(doc.pageCount).toBe(301);
    // fw9 (6 Letter pages) then Flash-Masques (4 A4 pages), repeated.
    expect(doc.pageSize(0)).toEqual({ width: 612, height: 792 });
    expect(doc.pageSize(6)).toEqual({ width: 596, height: 842 });
    expect(doc.pageSize(10)).toEqual({ width: 612, height: 792 });
    expect(doc.pageSize(300)).toEqual({ width: 612, height: 792 }); // page 301 = 30 × 10 + fw9 page 1
    const last = await doc.renderPage(300);
    const first = await doc.renderPage(0);
    expect(Buffer.compare(last.data, first.data)).toBe(0);
    doc.close();
  });
});
