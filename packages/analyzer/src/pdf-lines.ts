import type { Box, PageTextLayer } from '@roche/core';
import type { TextLine } from '@roche/inference';

/** What the PDF says about a text line: its text, the tight box of its ink and its font. */
export interface LineText {
  text: string;
  ink: Box;
  /** Font size, page pixels. */
  size: number;
  /** Share of the characters in a bold / italic font. */
  bold: number;
  italic: number;
}

/** A text line as the analyzer's geometric pass takes it: a detector-like box, and the PDF's text when it came from one. */
export interface AnalyzerLine extends TextLine {
  read?: LineText;
}

/**
 * Text-layer lines as analyzer lines. The geometric pass and the row features were made for DB
 * detector boxes, which stand about half a font size clear of the ink on every side (unclip), so
 * the tight PDF boxes are padded the same way; the tight box stays in `read.ink` for the region
 * boxes. Boxes are scaled if the page was rendered at another size than the layer was read at.
 */
export function linesFromTextLayer(layer: PageTextLayer, page: { width: number; height: number }): AnalyzerLine[] {
  const sx = page.width / layer.width;
  const sy = page.height / layer.height;
  return layer.lines.map((l) => {
    const ink: Box = [l.box[0] * sx, l.box[1] * sy, l.box[2] * sx, l.box[3] * sy];
    // No real line is set in type a quarter of the page high; a hostile one (a 10^7-point glyph) would
    // pad its box far beyond the page.
    const size = Math.min(l.size * sy || ink[3] - ink[1], 0.25 * page.height);
    const pad = 0.5 * size;
    return {
      box: [ink[0] - pad, ink[1] - pad, ink[2] + pad, ink[3] + pad],
      score: 1,
      read: { text: l.text, ink, size, bold: l.bold, italic: l.italic },
    };
  });
}
