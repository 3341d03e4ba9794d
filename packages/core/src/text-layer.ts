import type { Box } from './layout.js';

/**
 * What a born-digital page already knows about its text, read from the PDF rather than from pixels.
 * Boxes are in the pixels of the page as rendered (same dpi), so they line up with the page image.
 */

/** One glyph of the text layer: a character, its tight ink box and its font. */
export interface Glyph {
  char: string;
  box: Box;
  /** Font size in page pixels. */
  size: number;
  bold: boolean;
  italic: boolean;
}

/** A word: glyphs of one font run without a space or a gap between them. */
export interface TextWord {
  text: string;
  box: Box;
  size: number;
  bold: boolean;
  italic: boolean;
}

/** A text line: words on one baseline with word-sized gaps between them (a wide gap starts another line, as in columns or tables). */
export interface TextLayerLine {
  text: string;
  /** Tight box of the glyphs' ink. */
  box: Box;
  /** Median font size of the line's glyphs, page pixels. */
  size: number;
  /** Share of the line's characters set in a bold or italic font. */
  bold: number;
  italic: number;
  words: TextWord[];
}

/** A drawing on the page: a placed image or a vector path (rules, frames, plots). */
export interface PageGraphic {
  kind: 'image' | 'path';
  box: Box;
}

/** A PDF page's text layer and drawings, in page pixels at the render resolution. */
export interface PageTextLayer {
  width: number;
  height: number;
  lines: TextLayerLine[];
  graphics: PageGraphic[];
}
