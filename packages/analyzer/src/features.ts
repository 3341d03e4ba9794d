import { upperMedian } from '@roche/core';
import type { Box } from '@roche/inference';
import type { LineText } from './pdf-lines.js';

/** One text row of the page, as the classifier sees it, with the block and paragraph it belongs to. */
export interface PageRow {
  box: Box;
  score: number;
  /** Detector pieces of the row, left to right (word gaps and formula gaps split rows into pieces). */
  pieces: Box[];
  /** Share of dark pixels in the row's glyph band. */
  density: number;
  /** Mean stem width of the row's glyphs and of its first piece, in pixels (`strokeWidth`): bold type. */
  stroke: number;
  firstStroke: number;
  block: number;
  paragraph: number;
  /** The paragraph splitter saw a hanging-indent list here. */
  list: boolean;
  /** Text, ink box and font of the row, when it came from a PDF text layer. */
  read?: LineText;
}

/** A non-text object found from the ink: captions and furniture are placed relative to these. */
export interface PageObject {
  kind: 'table' | 'image';
  box: Box;
}

export interface RowContext {
  width: number;
  height: number;
  rows: PageRow[];
  objects: PageObject[];
}

/** Feature names, in the order of `rowFeatures`' vectors; the trained model stores them to check it fits this code. */
export const FEATURE_NAMES = [
  'x1',
  'x2',
  'y1',
  'y2',
  'widthPage',
  'widthColumn',
  'heightBody',
  'densityBody',
  'pieces',
  'maxPieceGapEm',
  'firstPieceEm',
  'indentEm',
  'rightGapEm',
  'centredEm',
  'gapAboveBody',
  'gapBelowBody',
  'blockRows',
  'blockIndex',
  'blockWidthColumn',
  'paragraphRows',
  'paragraphIndex',
  'list',
  'prevHeight',
  'nextHeight',
  'prevDensity',
  'nextDensity',
  'prevWidth',
  'nextWidth',
  'rowsAbovePage',
  'objectAboveGap',
  'objectBelowGap',
  'objectAboveKind',
  'objectBelowKind',
  'objectOverlap',
  'bodySize',
  'score',
  'blockPitchBody',
  'rowsBelowColumn',
  'strokeEm',
  'strokeBody',
  'firstStrokeBody',
] as const;

const clip = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Per-row features for the layout classifier. Sizes are relative to the page's body text (median
 * row height, ink density and paragraph width of rows in blocks of 3+), distances in em of the
 * row's own type, positions as page fractions, so the same numbers mean the same on any page size.
 * Neighbour context: the rows above and below in the same block, the nearest table/figure above
 * and below that shares columns with the row.
 */
export function rowFeatures(ctx: RowContext): number[][] {
  const { rows, width: W, height: H } = ctx;
  // Every step is O(n log n) or bounded by the rows near one row: a hostile text layer has tens of
  // thousands of lines on a page (40,000 cost 10 s here when this was quadratic).
  const blockRows = groupIndices(rows, (r) => r.block);
  const paraRows = groupIndices(rows, (r) => r.paragraph);
  const posIn = new Int32Array(rows.length);
  const posInPara = new Int32Array(rows.length);
  for (const idx of blockRows.values()) idx.forEach((i, k) => (posIn[i] = k));
  for (const idx of paraRows.values()) idx.forEach((i, k) => (posInPara[i] = k));
  const body = rows.filter((r) => (blockRows.get(r.block)?.length ?? 0) >= 3);
  const src = body.length ? body : rows;
  const bodyH = upperMedian(src.map((r) => r.box[3] - r.box[1])) || 1;
  const bodyD = upperMedian(src.map((r) => r.density)) || 0.1;
  const bodyS = upperMedian(src.map((r) => r.stroke)) || 1;
  const blockBox = new Map<number, Box>();
  for (const [b, idx] of blockRows) {
    const bb: Box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const i of idx) {
      const x = rows[i]!.box;
      bb[0] = Math.min(bb[0], x[0]);
      bb[1] = Math.min(bb[1], x[1]);
      bb[2] = Math.max(bb[2], x[2]);
      bb[3] = Math.max(bb[3], x[3]);
    }
    blockBox.set(b, bb);
  }
  const bodyBlocks = [...blockRows].filter(([, idx]) => idx.length >= 3).map(([b]) => b);
  const columnW = upperMedian(bodyBlocks.map((b) => blockBox.get(b)![2] - blockBox.get(b)![0])) || W;
  const byTop = rows.map((r) => r.box[1]).sort((a, b) => a - b);
  // Line pitch (top to top) within a block, against the body's: footnotes and captions are set tighter and smaller,
  // which the pitch shows more steadily than the detector's box heights.
  const pitch = new Map<number, number>();
  for (const [b, idx] of blockRows) {
    const tops = idx.map((i) => rows[i]!.box[1]).sort((a, c) => a - c);
    const steps = tops.slice(1).map((t, j) => t - tops[j]!);
    if (steps.length) pitch.set(b, upperMedian(steps));
  }
  const bodyPitch = upperMedian(bodyBlocks.map((b) => pitch.get(b)!)) || bodyH;
  const hOverlap = (a: Box, b: Box) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  // Rows by top and by bottom, for the searches around each row.
  const topOrder = rows.map((_, i) => i).sort((a, b) => rows[a]!.box[1] - rows[b]!.box[1]);
  const tops = topOrder.map((i) => rows[i]!.box[1]);
  const bottomOrder = rows.map((_, i) => i).sort((a, b) => rows[a]!.box[3] - rows[b]!.box[3]);
  const bottoms = bottomOrder.map((i) => rows[i]!.box[3]);
  const cap = 5 * bodyH;

  return rows.map((r, i) => {
    const [x1, y1, x2, y2] = r.box;
    const h = y2 - y1 || 1;
    const em = h / 2; // detector boxes are unclipped to about twice the font size
    const inBlock = blockRows.get(r.block)!;
    const k = posIn[i]!;
    const bb = blockBox.get(r.block)!;
    const prev = k > 0 ? rows[inBlock[k - 1]!] : undefined;
    const next = k + 1 < inBlock.length ? rows[inBlock[k + 1]!] : undefined;
    const inPara = paraRows.get(r.paragraph)!;
    // Nearest row of any block above/below that shares columns with this one: the white space around
    // a row; and how many such rows lie below it.
    // Only rows within 5 body heights can lower a gap, and the count below stops at its cap of 30. The
    // windows include their edges: a row just outside by rounding (top = y2 + cap) can still be a gap
    // just under the cap (a review found 4.999999999999999 against 5), and extra rows never lower a minimum.
    const mid = (y1 + y2) / 2;
    let gapAbove = cap;
    for (let j = lowerBound(bottoms, y1 - cap); j < bottoms.length && bottoms[j]! <= mid; j++) {
      const o = rows[bottomOrder[j]!]!;
      if (o !== r && o.box[1] < y1 && hOverlap(o.box, r.box) > 0) gapAbove = Math.min(gapAbove, Math.max(0, y1 - o.box[3]));
    }
    let gapBelow = cap;
    for (let j = lowerBound(tops, mid); j < tops.length && tops[j]! <= y2 + cap; j++) {
      const o = rows[topOrder[j]!]!;
      if (o !== r && o.box[3] > y2 && hOverlap(o.box, r.box) > 0) gapBelow = Math.min(gapBelow, Math.max(0, o.box[1] - y2));
    }
    let below = 0;
    for (let j = lowerBound(tops, y2); j < tops.length && below < 30; j++) {
      const o = rows[topOrder[j]!]!;
      if (o !== r && hOverlap(o.box, r.box) > 0) below++;
    }
    let objAbove = 10;
    let objBelow = 10;
    let kindAbove = 0;
    let kindBelow = 0;
    let objOverlap = 0;
    for (const o of ctx.objects) {
      const ov = hOverlap(o.box, r.box) / (x2 - x1 || 1);
      if (ov < 0.3) continue;
      const kind = o.kind === 'table' ? 1 : 2;
      if (o.box[3] <= y2) {
        const g = Math.max(0, y1 - o.box[3]) / bodyH;
        if (g < objAbove) [objAbove, kindAbove, objOverlap] = [g, kind, Math.max(objOverlap, ov)];
      } else if (o.box[1] >= y1) {
        const g = Math.max(0, o.box[1] - y2) / bodyH;
        if (g < objBelow) [objBelow, kindBelow, objOverlap] = [g, kind, Math.max(objOverlap, ov)];
      }
    }
    let maxGap = 0;
    for (let j = 1; j < r.pieces.length; j++) maxGap = Math.max(maxGap, r.pieces[j]![0] - r.pieces[j - 1]![2]);
    const first = r.pieces[0] ?? r.box;
    const rowsAbove = lowerBound(byTop, y1);
    return [
      x1 / W,
      x2 / W,
      y1 / H,
      y2 / H,
      (x2 - x1) / W,
      (x2 - x1) / columnW,
      h / bodyH,
      r.density / bodyD,
      r.pieces.length,
      clip(maxGap / em, 0, 50),
      clip((first[2] - first[0]) / em, 0, 100),
      clip((x1 - bb[0]) / em, 0, 50),
      clip((bb[2] - x2) / em, 0, 50),
      clip(Math.abs(x1 - bb[0] - (bb[2] - x2)) / em, 0, 50),
      clip(gapAbove / bodyH, 0, 5),
      clip(gapBelow / bodyH, 0, 5),
      Math.min(inBlock.length, 60),
      k,
      (bb[2] - bb[0]) / columnW,
      Math.min(inPara.length, 60),
      posInPara[i]!,
      r.list ? 1 : 0,
      prev ? (prev.box[3] - prev.box[1]) / h : 0,
      next ? (next.box[3] - next.box[1]) / h : 0,
      prev ? prev.density / bodyD : 0,
      next ? next.density / bodyD : 0,
      prev ? (prev.box[2] - prev.box[0]) / (x2 - x1 || 1) : 0,
      next ? (next.box[2] - next.box[0]) / (x2 - x1 || 1) : 0,
      rowsAbove / Math.max(1, byTop.length),
      objAbove,
      objBelow,
      kindAbove,
      kindBelow,
      objOverlap,
      bodyH / H,
      r.score,
      (pitch.get(r.block) ?? 0) / bodyPitch,
      below,
      clip(r.stroke / em, 0, 5),
      clip(r.stroke / bodyS, 0, 5),
      clip(r.firstStroke / bodyS, 0, 5),
    ];
  });
}

/** Row indices by a key, in row order. */
function groupIndices<K>(rows: readonly PageRow[], key: (r: PageRow) => K): Map<K, number[]> {
  const out = new Map<K, number[]>();
  rows.forEach((r, i) => {
    const list = out.get(key(r));
    if (list) list.push(i);
    else out.set(key(r), [i]);
  });
  return out;
}

/** First index whose value is ≥ v (> v when `strict`) in an ascending array; its length when none. */
function lowerBound(sorted: readonly number[], v: number, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (strict ? sorted[m]! <= v : sorted[m]! < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}
