import { upperMedian, type Box } from '@roche/core';

/** Rows of a line box that hold its glyphs (detector boxes are unclipped to about twice the font size). */
function glyphRows(box: Box, height: number): [number, number] {
  const h = box[3] - box[1];
  return [Math.max(0, Math.round(box[1] + 0.2 * h)), Math.min(height, Math.round(box[3] - 0.2 * h))];
}

/**
 * The white gutter between two text columns, as an x position on the page, or `undefined` for a
 * page that is not set in two columns. Read from the ink of the text lines, not their boxes (where
 * the gutter is narrow, the text detector joins the two columns' lines across it): the x in the
 * middle of the page where the fewest lines have ink, provided that many lines have ink just left
 * of it and many just right of it, and lines with ink at it are few beside them (a title, a table
 * or a caption across both columns). In running text of one column, most lines have ink at any x.
 */
export function findGutter(boxes: readonly Box[], gray: Uint8Array, width: number, dark = 160): number | undefined {
  if (boxes.length < 12) return undefined;
  const height = Math.floor(gray.length / width);
  const lo = Math.floor(0.3 * width);
  const hi = Math.ceil(0.7 * width);
  const n = hi - lo;
  const inkLines = new Int32Array(n);
  const hits = new Uint8Array(n);
  const near = Math.round(0.05 * width);
  for (const b of boxes) {
    const s = Math.max(lo, Math.round(b[0]));
    const e = Math.min(hi, Math.round(b[2]));
    if (s >= e) continue;
    const [top, bottom] = glyphRows(b, height);
    hits.fill(0);
    for (let y = top; y < bottom; y++) for (let x = s; x < e; x++) if (gray[y * width + x]! < dark) hits[x - lo] = 1;
    for (let x = s; x < e; x++) inkLines[x - lo]! += hits[x - lo]!;
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
 * (a title or a caption set across both columns). `dark` is the luminance below which a pixel is ink.
 */
export function splitAtGutter<L extends { box: Box }>(
  lines: readonly L[],
  gray: Uint8Array,
  width: number,
  gutter: number,
  dark = 160,
): L[] {
  const height = Math.floor(gray.length / width);
  const out: L[] = [];
  for (const l of lines) {
    const [x1, y1, x2, y2] = l.box;
    if (!(x1 < gutter && x2 > gutter)) {
      out.push(l);
      continue;
    }
    const em = (y2 - y1) / 2;
    const [top, bottom] = glyphRows(l.box, height);
    const inkAt = (x: number) => {
      for (let y = top; y < bottom; y++) if (gray[y * width + x]! < dark) return true;
      return false;
    };
    const left = Math.max(0, Math.round(x1));
    const right = Math.min(width, Math.round(x2));
    const g = Math.round(gutter);
    if (g < left || g >= right || inkAt(g)) {
      out.push(l);
      continue;
    }
    let a = g;
    while (a > left && !inkAt(a - 1)) a--;
    let b = g + 1;
    while (b < right && !inkAt(b)) b++;
    // A box that only reaches over the gutter with its padding (no ink beyond it) stays as it is.
    if (b - a < em || a <= left || b >= right) {
      out.push(l);
      continue;
    }
    // Each side keeps the detector's margin around its ink, as far as the white allows.
    const pad = Math.min(0.4 * em, (b - a) / 2);
    out.push({ ...l, box: [x1, y1, a + pad, y2] }, { ...l, box: [b - pad, y1, x2, y2] });
  }
  return out;
}
