import type { Box, Glyph, PageTextLayer } from '@roche/core';
import { describe, expect, it } from 'vitest';
import { fontStyle, glyphsToWords, openDocument, usableTextLayer, wordsToLines } from '../src/index.js';
import { makeLayoutPdf, makeScannedPdf } from '../../../test/support/documents.js';

const limits = { maxPages: 10, maxPagePixels: 1e8, dpi: 144 };

/** Glyphs of a word set left to right at `x`, 10 px per character, on a 20 px band at `y`. */
function word(text: string, x: number, y: number, size = 20): Glyph[] {
  return [...text].map((c, i) => ({ char: c, box: [x + 10 * i, y, x + 10 * i + 9, y + 14] as Box, size, bold: false, italic: false }));
}
const space: Glyph = { char: ' ', box: [0, 0, 0, 0], size: 0, bold: false, italic: false };

describe('glyphs → words → lines (pure)', () => {
  it('splits words at spaces and wide gaps, rows at column gutters, and keeps punctuation on its row', () => {
    const comma: Glyph = { char: ',', box: [110, 11, 113, 17], size: 20, bold: false, italic: false };
    const glyphs = [
      ...word('left', 0, 0),
      space,
      ...word('column', 50, 0),
      comma,
      // Right column, same baseline, 200 px (10 font sizes) away.
      ...word('right', 400, 1),
      // Next row.
      ...word('below', 0, 30),
    ];
    const words = glyphsToWords(glyphs);
    expect(words.map((w) => w.text)).toEqual(['left', 'column,', 'right', 'below']);
    const lines = wordsToLines(words);
    expect(lines.map((l) => l.text)).toEqual(['left column,', 'right', 'below']);
    expect(lines[0]!.box).toEqual([0, 0, 113, 17]);
  });

  it("keeps a list item's marker on its line across the label gap, but not an ordinary word that far away", () => {
    // Marker 20 px wide, then the item text 50 px (2.5 font sizes) further: LaTeX's label width.
    const words = glyphsToWords([
      ...word('1.', 0, 0),
      space,
      ...word('First', 70, 0),
      ...word('Two', 0, 40),
      space,
      ...word('words', 80, 40),
    ]);
    const lines = wordsToLines(words);
    expect(lines.map((l) => l.text)).toEqual(['1. First', 'Two', 'words']);
    // Further than 4 font sizes, a marker-like word is a column of its own (a table's number column).
    expect(wordsToLines(glyphsToWords([...word('(a)', 0, 0), space, ...word('far', 200, 0)])).map((l) => l.text)).toEqual(['(a)', 'far']);
  });

  it('reads bold and italic from font names and flags', () => {
    expect(fontStyle('ABCDEF+CMBX12', 0, 400)).toEqual({ bold: true, italic: false });
    expect(fontStyle('Times-Italic', 0, 400)).toEqual({ bold: false, italic: true });
    expect(fontStyle('NimbusRomNo9L-Medi', 0, 400).bold).toBe(true);
    expect(fontStyle('Helvetica', 0x40000, 400).bold).toBe(true);
    expect(fontStyle('Helvetica', 0, 400)).toEqual({ bold: false, italic: false });
  });

  it('does not trust a text layer that leaves a page-sized picture bare', () => {
    const lines = Array.from({ length: 5 }, (_, i) => ({
      text: 'some words on a line',
      box: [100, 100 + 30 * i, 300, 120 + 30 * i] as Box,
      size: 20,
      bold: 0,
      italic: 0,
      words: [],
    }));
    const layer: PageTextLayer = { width: 1000, height: 1400, lines, graphics: [] };
    expect(usableTextLayer(layer)).toBe(true);
    expect(usableTextLayer({ ...layer, lines: lines.slice(0, 1) })).toBe(false); // too few characters
    const scan = { kind: 'image' as const, box: [0, 0, 1000, 1400] as Box };
    expect(usableTextLayer({ ...layer, graphics: [scan] })).toBe(false); // a stamp on a scan
    const ocr = Array.from({ length: 40 }, (_, i) => ({ ...lines[0]!, box: [80, 60 + 32 * i, 920, 84 + 32 * i] as Box }));
    expect(usableTextLayer({ ...layer, lines: ocr, graphics: [scan] })).toBe(true); // OCR text over the scan
  });
});

describe('PDF text layer through PDFium', () => {
  it('reads the lines of a born-digital page with their text, font and boxes that fit the rendered ink', async () => {
    const { pdf, lines: written } = makeLayoutPdf();
    const doc = await openDocument(pdf, 'pdf', limits);
    try {
      const layer = await doc.textLayer!(0);
      expect(layer).not.toBeNull();
      const page = await doc.renderPage(0);
      expect([layer!.width, layer!.height]).toEqual([page.width, page.height]);
      expect(layer!.lines.map((l) => l.text)).toEqual(written.map((l) => l.text));
      const scale = 144 / 72;
      for (const [i, l] of layer!.lines.entries()) {
        const w = written[i]!;
        expect(l.size).toBeCloseTo(w.size * scale, 0);
        expect(l.bold).toBe(w.bold ? 1 : 0);
        // The baseline (PDF y up) is inside the box, near its bottom (descenders go below).
        const baseline = page.height - w.y * scale;
        expect(l.box[1]).toBeLessThan(baseline);
        expect(l.box[3]).toBeGreaterThanOrEqual(baseline - 1);
        expect(l.box[0]).toBeCloseTo(w.x * scale, -1);
      }
      // Every dark pixel of the rendered page lies in a line box (±2 px), and every box is tight
      // around ink: the dark pixels inside a box, grown by a fifth of a font size, span the box within 2 px.
      const dark = (x: number, y: number) => page.data[(y * page.width + x) * 3]! < 128;
      const inAny = (x: number, y: number) =>
        layer!.lines.some((l) => x >= l.box[0] - 2 && x <= l.box[2] + 2 && y >= l.box[1] - 2 && y <= l.box[3] + 2);
      let stray = 0;
      for (let y = 0; y < page.height; y += 2) for (let x = 0; x < page.width; x += 2) if (dark(x, y) && !inAny(x, y)) stray++;
      expect(stray).toBe(0);
      for (const l of layer!.lines) {
        const g = l.size / 5;
        const ink = [Infinity, Infinity, -Infinity, -Infinity];
        for (let y = Math.max(0, Math.floor(l.box[1] - g)); y < Math.min(page.height, l.box[3] + g); y++)
          for (let x = Math.max(0, Math.floor(l.box[0] - g)); x < Math.min(page.width, l.box[2] + g); x++)
            if (dark(x, y))
              [ink[0], ink[1], ink[2], ink[3]] = [
                Math.min(ink[0]!, x),
                Math.min(ink[1]!, y),
                Math.max(ink[2]!, x + 1),
                Math.max(ink[3]!, y + 1),
              ];
        // Only the ink of this line's own row can be that close: rows are further apart than a fifth of a font size.
        for (let k = 0; k < 4; k++) expect(Math.abs(ink[k]! - l.box[k]!), `${l.text} side ${k}`).toBeLessThanOrEqual(2);
      }
    } finally {
      doc.close();
    }
  });

  it('has no text layer for a scanned-like page (a picture only), so callers fall back to pixels', async () => {
    const doc = await openDocument(await makeScannedPdf(), 'pdf', limits);
    try {
      expect(await doc.textLayer!(0)).toBeNull();
    } finally {
      doc.close();
    }
  });

  it('keeps the invisible OCR layer of a scan as its text layer, with the picture as a drawing', async () => {
    const doc = await openDocument(await makeScannedPdf(true), 'pdf', limits);
    try {
      const layer = await doc.textLayer!(0);
      expect(layer).not.toBeNull();
      expect(layer!.lines[0]!.text).toBe('Section 1: generated page');
      expect(layer!.graphics.some((g) => g.kind === 'image' && g.box[2] - g.box[0] > 0.9 * layer!.width)).toBe(true);
    } finally {
      doc.close();
    }
  });
});
