import { median, type Box } from '@roche/inference';
import type { Paragraph } from './paragraphs.js';

export interface Classified {
  label: string;
  box: Box;
  score: number;
}

export interface PageStats {
  width: number;
  height: number;
  /** Typical body-text row height. */
  rowHeight: number;
  /** Typical ink density of body-text rows. */
  density: number;
  /** Typical width of body paragraphs (one column). */
  columnWidth: number;
}

/** Body-text statistics from paragraphs of 3+ rows (titles and furniture are too few to move a median). */
export function pageStats(paragraphs: Paragraph[], densities: number[][], width: number, height: number): PageStats {
  const body = paragraphs.map((p, i) => ({ p, d: densities[i]! })).filter(({ p }) => p.rows.length >= 3);
  const src = body.length ? body : paragraphs.map((p, i) => ({ p, d: densities[i]! }));
  return {
    width,
    height,
    rowHeight: median(src.flatMap(({ p }) => p.rows.map((r) => r[3] - r[1]))) || 1,
    density: median(src.flatMap(({ d }) => d)) || 0.1,
    columnWidth: median(src.map(({ p }) => p.box[2] - p.box[0])) || width,
  };
}

/**
 * Labels one paragraph by its size, weight and place on the page, with PP-DocLayout names:
 * furniture in the top/bottom margin band (header, footer, page number), large type near the top
 * (doc_title), short large or bold blocks (paragraph_title), hanging-indent blocks (list), text.
 * Scores say how sure the rule is; they order detections for AP, nothing more.
 */
export function classifyParagraph(p: Paragraph, density: number[], s: PageStats): Classified {
  const rows = p.rows.length;
  const rowH = median(p.rows.map((r) => r[3] - r[1]));
  const w = p.box[2] - p.box[0];
  const dens = median(density);
  const conf = p.score;
  const small = rows <= 2;
  if (small && p.box[3] <= 0.08 * s.height) return { label: w < 0.06 * s.width ? 'number' : 'header', box: p.box, score: 0.6 * conf };
  if (small && p.box[1] >= 0.93 * s.height) return { label: w < 0.06 * s.width ? 'number' : 'footer', box: p.box, score: 0.6 * conf };
  if (rows <= 3 && rowH >= 1.6 * s.rowHeight && p.box[1] < 0.45 * s.height) return { label: 'doc_title', box: p.box, score: 0.8 * conf };
  const large = rowH >= 1.2 * s.rowHeight;
  const bold = dens >= 1.3 * s.density && w < 0.85 * s.columnWidth;
  // A heading has a few words; shorter fragments are labels (figure axes, table cells, numbering).
  const words = w >= 3 * rowH;
  if (small && words && (large || bold)) return { label: 'paragraph_title', box: p.box, score: (large && bold ? 0.85 : 0.7) * conf };
  // A lone short line standing as its own paragraph is a heading even in body type (italic run-in
  // section titles); a weak rule, so a low score.
  if (rows === 1 && words && w < 0.7 * s.columnWidth) return { label: 'paragraph_title', box: p.box, score: 0.5 * conf };
  if (p.list) return { label: 'list', box: p.box, score: 0.7 * conf };
  // A lone fragment of a few characters is text of some kind, but the least certain block on the page.
  return { label: 'text', box: p.box, score: (rows === 1 && !words ? 0.4 : 0.9) * conf };
}
