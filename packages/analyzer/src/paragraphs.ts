import { upperMedian } from '@roche/core';
import { union, type Box, type TextLine } from '@roche/inference';

export interface Paragraph {
  box: Box;
  rows: Box[];
  score: number;
  /** Hanging-indent structure: items start at the left margin, their continuation lines are indented. */
  list: boolean;
  /** Detector confidence of each row. */
  rowScores: number[];
  /** Detector pieces of each row, left to right. */
  pieces: Box[][];
  /** The text lines of each row, left to right (empty where the caller gave only boxes). */
  lines: TextLine[][];
}

/** Detector lines that share a text row (word gaps can split a row) merged into one box per row, top to bottom. */
export function mergeRows<L extends TextLine>(lines: L[]): Array<{ box: Box; score: number; pieces: Box[]; lines: L[] }> {
  const sorted = [...lines].sort((a, b) => (a.box[1] + a.box[3]) / 2 - (b.box[1] + b.box[3]) / 2);
  const rows: L[][] = [];
  for (const l of sorted) {
    const cy = (l.box[1] + l.box[3]) / 2;
    const last = rows.at(-1);
    const lb = last && union(last.map((x) => x.box));
    if (last && lb && cy > lb[1] && cy < lb[3] && Math.abs(cy - (lb[1] + lb[3]) / 2) < 0.35 * (lb[3] - lb[1])) last.push(l);
    else rows.push([l]);
  }
  return rows.map((r) => {
    const ls = [...r].sort((a, b) => a.box[0] - b.box[0]);
    return {
      box: union(r.map((l) => l.box)),
      score: r.reduce((a, l) => a + l.score, 0) / r.length,
      pieces: ls.map((l) => l.box),
      lines: ls,
    };
  });
}

/**
 * Splits a block of text rows into paragraphs and recognises lists, from the left and right edges
 * of the rows alone: a first-line indent or a short last line (in justified text) starts a new
 * paragraph; rows mostly indented under outdented starters are a list (hanging indent).
 * Distances are in "em", estimated from the row height, so they scale with the font.
 */
export function splitParagraphs(rows: Array<{ box: Box; score: number; pieces?: Box[]; lines?: TextLine[] }>): Paragraph[] {
  if (!rows.length) return [];
  const h = upperMedian(rows.map((r) => r.box[3] - r.box[1]));
  const em = h / 2; // detector boxes are unclipped to about 2× the font size
  const left = Math.min(...rows.map((r) => r.box[0]));
  const right = Math.max(...rows.map((r) => r.box[2]));
  const off = rows.map((r) => r.box[0] - left);
  const atLeft = off.map((o) => o <= 0.4 * em);
  const indented = off.map((o) => o > 0.6 * em && o < 6 * em);
  const make = (rs: typeof rows, list: boolean): Paragraph => ({
    box: union(rs.map((r) => r.box)),
    rows: rs.map((r) => r.box),
    score: rs.reduce((a, r) => a + r.score, 0) / rs.length,
    list,
    rowScores: rs.map((r) => r.score),
    pieces: rs.map((r) => r.pieces ?? [r.box]),
    lines: rs.map((r) => r.lines ?? []),
  });
  const nLeft = atLeft.filter(Boolean).length;
  const nIndented = indented.filter(Boolean).length;
  if (rows.length >= 3 && atLeft[0] && nLeft >= 2 && nIndented >= nLeft && nIndented + nLeft === rows.length) return [make(rows, true)];

  const justified = rows.length >= 3 && rows.filter((r) => right - r.box[2] <= 0.6 * em).length >= 0.6 * rows.length;

  // Runs of two or more hanging-indent items (a row at the margin, then indented rows with the same
  // indent) inside a block are lists; the rows around them are split into paragraphs as usual.
  const listEnd = (start: number): number => {
    let i = start;
    let items = 0;
    let indent = -1;
    while (i + 1 < rows.length && atLeft[i] && indented[i + 1]) {
      const ind = off[i + 1]!;
      if (indent >= 0 && Math.abs(ind - indent) > 0.5 * em) break;
      indent = ind;
      let j = i + 1;
      // A continuation row follows a row that ran to the right edge (the item wrapped); after a
      // short row, an indented row starts a new paragraph instead.
      const wrapped = (k: number) => right - rows[k]!.box[2] <= 2.5 * em;
      while (j < rows.length && indented[j] && Math.abs(off[j]! - indent) <= 0.5 * em && (j === i + 1 || wrapped(j - 1))) j++;
      items++;
      i = j;
    }
    return items >= 2 ? i : start;
  };

  const out: Paragraph[] = [];
  let cur: typeof rows = [];
  for (let i = 0; i < rows.length; i++) {
    const end = listEnd(i);
    if (end > i) {
      if (cur.length) out.push(make(cur, false));
      out.push(make(rows.slice(i, end), true));
      cur = [];
      i = end - 1;
      continue;
    }
    const startsIndented = i > 0 && indented[i]! && !indented[i - 1]!;
    const prevShort = i > 0 && justified && right - rows[i - 1]!.box[2] > 2.5 * em && (atLeft[i]! || indented[i]!);
    if (cur.length && (startsIndented || prevShort)) {
      out.push(make(cur, false));
      cur = [];
    }
    cur.push(rows[i]!);
  }
  if (cur.length) out.push(make(cur, false));
  return out;
}
