import { median, type Box, type Glyph, type PageTextLayer, type TextLayerLine, type TextWord } from '@roche/core';

const union = (bs: readonly Box[]): Box => [
  Math.min(...bs.map((b) => b[0])),
  Math.min(...bs.map((b) => b[1])),
  Math.max(...bs.map((b) => b[2])),
  Math.max(...bs.map((b) => b[3])),
];
const cy = (b: Box) => (b[1] + b[3]) / 2;

/**
 * Words from glyphs in content-stream order: a word ends at white space (the PDF's own spaces and the
 * ones PDFium infers from gaps), where the next glyph leaves the word's baseline band, jumps back,
 * or leaves a gap wider than 0.45 font sizes (PDFium already puts spaces where the advances leave
 * word gaps; this catches what it misses without splitting words whose tight glyph boxes stand apart,
 * as "1:" does by a quarter em).
 * Glyphs without ink (spaces, empty boxes) only separate words.
 */
export function glyphsToWords(glyphs: readonly Glyph[]): TextWord[] {
  const out: TextWord[] = [];
  let cur: Glyph[] = [];
  let box: Box | null = null;
  const flush = () => {
    if (cur.length && box) {
      const size = median(cur.map((g) => g.size));
      const bold = cur.filter((g) => g.bold).length * 2 > cur.length;
      const italic = cur.filter((g) => g.italic).length * 2 > cur.length;
      out.push({ text: cur.map((g) => g.char).join(''), box, size, bold, italic });
    }
    cur = [];
    box = null;
  };
  for (const g of glyphs) {
    const b = g.box;
    if (/^\s*$/u.test(g.char) || b[2] <= b[0] || b[3] <= b[1]) {
      flush();
      continue;
    }
    if (box) {
      const s = Math.max(g.size, 1);
      const band = Math.max(box[3] - box[1], 0.5 * s);
      const gap = b[0] - box[2];
      const off = Math.abs(cy(b) - cy(box)) > 0.6 * band;
      if (off || gap > 0.45 * s || b[2] < box[0] + 0.1 * s || gap < -0.5 * s) flush();
    }
    cur.push(g);
    box = box ? union([box, b]) : [...b];
  }
  flush();
  return out;
}

/** Bullets, dashes and enumeration labels: "•", "–", "1.", "(a)", "iv)", "[3]". */
const LIST_MARKER =
  /^(?:[•◦▪▫‣∙·●○■□★✓➢►–—*-]|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,5}[.)]|\([0-9a-zA-Z]{1,4}\)|\[[0-9]{1,3}\])$/u;

/**
 * Text lines from words, by geometry rather than content order: words whose vertical centres fall
 * inside each other's extent share a row; a row splits into lines at gaps wider than `maxGapEm`
 * font sizes (column gutters, table cells, display-formula spacing), so a line is what a text
 * detector would box. Lines come out top to bottom, left to right.
 */
export function wordsToLines(words: readonly TextWord[], maxGapEm = 1): TextLayerLine[] {
  const sorted = [...words].sort((a, b) => cy(a.box) - cy(b.box) || a.box[0] - b.box[0]);
  const rows: Array<{ box: Box; words: TextWord[] }> = [];
  for (const w of sorted) {
    const c = cy(w.box);
    // Rows nearest in height first; only the last few rows can still take a word (sorted by centre).
    let best: (typeof rows)[number] | undefined;
    for (let k = rows.length - 1; k >= 0 && k >= rows.length - 8; k--) {
      const r = rows[k]!;
      // Mutual: each centre inside the other's extent; punctuation and sub/superscripts, smaller than the row, need only their own centre inside.
      const small = w.box[3] - w.box[1] < 0.6 * (r.box[3] - r.box[1]);
      if (c >= r.box[1] && c <= r.box[3] && (small || (cy(r.box) >= w.box[1] && cy(r.box) <= w.box[3]))) {
        best = r;
        break;
      }
    }
    if (best) {
      best.words.push(w);
      best.box = union([best.box, w.box]);
    } else rows.push({ box: [...w.box], words: [w] });
  }
  const lines: TextLayerLine[] = [];
  for (const r of rows) {
    const ws = [...r.words].sort((a, b) => a.box[0] - b.box[0]);
    let run: TextWord[] = [];
    const flush = () => {
      if (run.length) lines.push(makeLine(run));
      run = [];
    };
    for (const w of ws) {
      const prev = run.at(-1);
      const gap = prev ? w.box[0] - prev.box[2] : 0;
      const em = prev ? Math.max(prev.size, w.size, 1) : 1;
      // A list item's marker stands further from its text than words do (LaTeX's \labelsep and
      // label width): kept on the item's line, or the item would start a column of its own.
      const marker = run.length === 1 && LIST_MARKER.test(prev!.text) && gap <= 4 * em;
      if (prev && gap > maxGapEm * em && !marker) flush();
      run.push(w);
    }
    flush();
  }
  return lines.sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
}

function makeLine(words: TextWord[]): TextLayerLine {
  const chars = words.reduce((a, w) => a + w.text.length, 0) || 1;
  const share = (f: (w: TextWord) => boolean) => words.filter(f).reduce((a, w) => a + w.text.length, 0) / chars;
  return {
    text: words.map((w) => w.text).join(' '),
    box: union(words.map((w) => w.box)),
    size: median(words.flatMap((w) => Array<number>(w.text.length).fill(w.size))),
    bold: share((w) => w.bold),
    italic: share((w) => w.italic),
    words,
  };
}

/**
 * Whether a page's text layer can stand in for finding text by pixels: enough characters, and no
 * page-sized image that the text leaves mostly bare (a scan with a stamped page number or header
 * has text, but its real text is in the picture). Scans with an invisible OCR layer keep theirs:
 * the OCR text covers the scan.
 */
export function usableTextLayer(layer: PageTextLayer, minChars = 30): boolean {
  const chars = layer.lines.reduce((a, l) => a + l.text.replace(/\s/g, '').length, 0);
  if (chars < minChars) return false;
  const pageArea = layer.width * layer.height;
  const area = (b: Box) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
  for (const g of layer.graphics) {
    if (g.kind !== 'image' || area(g.box) < 0.5 * pageArea) continue;
    const inside = layer.lines.filter(
      (l) => cy(l.box) >= g.box[1] && cy(l.box) <= g.box[3] && l.box[0] >= g.box[0] - 2 && l.box[2] <= g.box[2] + 2,
    );
    if (inside.reduce((a, l) => a + area(l.box), 0) < 0.03 * area(g.box)) return false;
  }
  return true;
}
