import { upperMedian, type Box } from '@roche/core';

/**
 * Rows of a line box that hold its glyphs (detector boxes are unclipped to about twice the font size).
 * Wider than `glyphBand` in ink.ts, which measures stems in the x-height band: here an ascender or a
 * descender in the gutter's columns is ink that must keep a line whole.
 */
function glyphRows(box: Box, height: number): [number, number] {
  const h = box[3] - box[1];
  return [Math.max(0, Math.round(box[1] + 0.2 * h)), Math.min(height, Math.round(box[3] - 0.2 * h))];
}

/**
 * Dark pixels of each column in the middle 40 % of a page (where a gutter is looked for), as running
 * counts from the top, so whether a line has ink in a column costs one subtraction: a page image can
 * hold thousands of detector boxes, and scanning each box's pixels made a hostile page of 3,000
 * page-sized boxes cost seconds. Built once per page for `findGutter` and `splitAtGutter`.
 */
export function gutterInk(gray: Uint8Array, width: number, dark = 160) {
  const height = Math.floor(gray.length / width);
  const lo = Math.floor(0.3 * width);
  const hi = Math.min(width, Math.ceil(0.7 * width));
  const n = Math.max(0, hi - lo);
  const sums = new Int32Array(n * (height + 1));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = 0; i < n; i++) sums[i * (height + 1) + y + 1] = sums[i * (height + 1) + y]! + (gray[row + lo + i]! < dark ? 1 : 0);
  }
  return {
    width,
    height,
    /** The columns counted: lo ≤ x < hi. */
    lo,
    hi,
    /** Whether column x (lo ≤ x < hi) has a dark pixel in rows top ≤ y < bottom. */
    inkAt: (x: number, top: number, bottom: number) =>
      bottom > top && sums[(x - lo) * (height + 1) + bottom]! - sums[(x - lo) * (height + 1) + top]! > 0,
  };
}

export type GutterInk = ReturnType<typeof gutterInk>;

/**
 * The white gutter between two text columns, as an x position on the page, or `undefined` for a
 * page that is not set in two columns. Read from the ink of the text lines, not their boxes (where
 * the gutter is narrow, the text detector joins the two columns' lines across it): the x in the
 * middle of the page where the fewest lines have ink, provided that many lines have ink just left
 * of it and many just right of it, and lines with ink at it are few beside them (a title, a table
 * or a caption across both columns). In running text of one column, most lines have ink at any x.
 */
export function findGutter(boxes: readonly Box[], cols: GutterInk): number | undefined {
  if (boxes.length < 12) return undefined;
  const { lo, hi, width } = cols;
  const n = hi - lo;
  const inkLines = new Int32Array(n);
  const near = Math.round(0.05 * width);
  for (const b of boxes) {
    const s = Math.max(lo, Math.round(b[0]));
    const e = Math.min(hi, Math.round(b[2]));
    if (s >= e) continue;
    const [top, bottom] = glyphRows(b, cols.height);
    for (let x = s; x < e; x++) if (cols.inkAt(x, top, bottom)) inkLines[x - lo]!++;
  }
  let best = -1;
  for (let x = near; x < n - near; x++) if (best < 0 || inkLines[x]! < inkLines[best]!) best = x;
  if (best < 0) return undefined;
  // The middle of the white stripe around the minimum (a few lines across both columns leave ink
  // here and there in it): the gutter's centre, not its edge.
  const stripe = inkLines[best]! + Math.max(1, 0.1 * upperMedian([...inkLines]));
  let a = best;
  let b = best;
  while (a > 0 && inkLines[a - 1]! <= stripe) a--;
  while (b + 1 < n && inkLines[b + 1]! <= stripe) b++;
  const g = Math.floor((a + b) / 2);
  let left = 0;
  let right = 0;
  for (let x = Math.max(0, a - near); x < a; x++) left = Math.max(left, inkLines[x]!);
  for (let x = b + 1; x <= Math.min(n - 1, b + near); x++) right = Math.max(right, inkLines[x]!);
  if (left < 8 || right < 8 || inkLines[g]! > 0.2 * Math.min(left, right)) return undefined;
  // Columns have edges: many long line boxes end at the stripe and many start at it. A white stripe
  // through a page of one column (between displayed formulas, sub-figure captions) has few of either.
  const em = upperMedian(boxes.map((x) => x[3] - x[1])) / 2;
  const [l, r] = [lo + a - 2 * em, lo + b + 2 * em];
  const long = 0.15 * width;
  let ending = 0;
  let starting = 0;
  for (const x of boxes) {
    if (x[2] >= l && x[2] <= r && x[2] - x[0] > long) ending++;
    if (x[0] >= l && x[0] <= r && x[2] - x[0] > long) starting++;
  }
  return ending >= 6 && starting >= 6 ? lo + g : undefined;
}

/**
 * Splits text lines that run across a column gutter where the page shows white between the two
 * columns: the text detector joins a left-column line to the right-column line beside it when the
 * gutter is narrow, and such a line joins the two columns' blocks and rows into one (measured on a
 * DocBank page: a section heading and both columns' text read as one wide paragraph). A line keeps
 * its span where its ink runs on across the gutter, or the white there is no wider than a word gap
 * (a title or a caption set across both columns).
 */
export function splitAtGutter<L extends { box: Box }>(lines: readonly L[], cols: GutterInk, gutter: number): L[] {
  // The white around the gutter is looked for within the band findGutter reads; white running on
  // past it (a fifth of the page from a gutter) ends at its edge, which bounds the cost of a page
  // of page-wide boxes.
  const { lo, hi } = cols;
  const out: L[] = [];
  for (const l of lines) {
    const [x1, y1, x2, y2] = l.box;
    if (!(x1 < gutter && x2 > gutter)) {
      out.push(l);
      continue;
    }
    const em = (y2 - y1) / 2;
    const [top, bottom] = glyphRows(l.box, cols.height);
    const inkAt = (x: number) => cols.inkAt(x, top, bottom);
    const left = Math.max(lo, Math.round(x1));
    const right = Math.min(hi, Math.round(x2));
    const g = Math.round(gutter);
    if (g < left || g >= right || inkAt(g)) {
      out.push(l);
      continue;
    }
    let a = g;
    while (a > left && !inkAt(a - 1)) a--;
    let b = g + 1;
    while (b < right && !inkAt(b)) b++;
    // A box that only reaches over the gutter with its padding (no ink beyond it) stays as it is, and
    // so does a line whose white there is no wider than a word gap.
    const inkLeft = a > left || Math.round(x1) < lo;
    const inkRight = b < right || Math.round(x2) > hi;
    if (b - a < em || !inkLeft || !inkRight) {
      out.push(l);
      continue;
    }
    // Each side keeps the detector's margin around its ink, as far as the white allows.
    const pad = Math.min(0.4 * em, (b - a) / 2);
    out.push({ ...l, box: [x1, y1, a + pad, y2] }, { ...l, box: [b - pad, y1, x2, y2] });
  }
  return out;
}
