import type { InkComponent } from './ink.js';

import type { Box } from '@roche/core';
import { overlapArea } from '@roche/inference';

export interface Graphics {
  figures: Box[];
  /** Horizontal rules: table borders and separators. */
  rules: Box[];
  /** Ruled grids: thin ink frames that hold several text lines. */
  grids: Box[];
}

const area = (b: Box) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
const near = (a: Box, b: Box, gap: number) => a[0] - gap <= b[2] && b[0] - gap <= a[2] && a[1] - gap <= b[3] && b[1] - gap <= a[3];
export const centerInside = (inner: Box, outer: Box) => {
  const cx = (inner[0] + inner[2]) / 2;
  const cy = (inner[1] + inner[3]) / 2;
  return cx >= outer[0] && cx <= outer[2] && cy >= outer[1] && cy <= outer[3];
};

/** Repeatedly merges boxes that touch or lie within `gap` of each other. */
export function mergeNear(boxes: Box[], gap: number): Box[] {
  let out = boxes.map((b) => [...b] as Box);
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        if (near(out[i]!, out[j]!, gap)) {
          const a = out[i]!;
          const b = out[j]!;
          out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
          out.splice(j, 1);
          changed = true;
          break outer;
        }
      }
    }
  }
  return out;
}

/**
 * Sorts non-text ink into figures (sizeable drawings and photos), ruled grids (thin frames around
 * many text lines) and horizontal rules, by size, shape and how much of their box the ink fills.
 */
export function findGraphics(components: InkComponent[], textLines: Box[], width: number, height: number, cell: number): Graphics {
  const rules: Box[] = [];
  const grids: Box[] = [];
  const candidates: Box[] = [];
  for (const c of components) {
    const [x1, y1, x2, y2] = c.box;
    const w = x2 - x1;
    const h = y2 - y1;
    if (h <= 2 * cell && w >= 0.08 * width) {
      rules.push(c.box);
      continue;
    }
    if (w < 0.02 * width && h < 0.02 * height) continue; // specks, bullets, stray marks
    if (textRemnant(c.box, textLines)) continue;
    const within = textLines.filter((l) => centerInside(l, c.box));
    const inside = within.length;
    // A ruled grid is thin lines; a dense one (double rules, a line under every row) covers up to a
    // third of its box at this cell size, as a drawing may, so it needs more text in cells to tell.
    const thin = c.fill < 0.15 || (c.fill < 0.35 && inside >= 10);
    // Text fills a table's cells; a matrix of small plots (a corner plot) has tick labels laid out
    // in cells too, but they cover a tenth of it at most (DocBank pages: tables 0.30-0.82, plots 0.08-0.10).
    const text = within.reduce((s, l) => s + area(l), 0) >= 0.2 * area(c.box);
    if (thin && text && inside >= 4 && w >= 0.2 * width && looksTabular(c.box, textLines)) grids.push(c.box);
    else candidates.push(c.box);
  }
  // Panels of one figure sit a few line heights apart; merge them (and their sub-captions) into one.
  const figures = mergeNear(candidates, 0.025 * Math.max(width, height)).filter((b) => {
    const w = b[2] - b[0];
    const h = b[3] - b[1];
    return area(b) >= 0.008 * width * height && w >= 0.05 * width && h >= 0.03 * height;
  });
  return { figures: mergeStackedPanels(figures, textLines, 0.05 * Math.max(width, height)), rules, grids };
}

/**
 * Ink that lies within text lines and is no taller than them is what erasing the lines' glyph
 * cores left of large type (ascenders and descenders of a title in large bold type): merged with
 * its neighbours it made a figure of a title's first line on a DocBank page. A drawing that the
 * text detector ran a line over is taller than that line, or mostly outside it.
 */
export function textRemnant(box: Box, textLines: readonly Box[]): boolean {
  let covered = 0;
  let tallest = 0;
  for (const l of textLines) {
    const o = overlapArea(l, box);
    if (o <= 0) continue;
    covered += o;
    tallest = Math.max(tallest, l[3] - l[1]);
  }
  return covered >= 0.8 * area(box) && box[3] - box[1] <= 1.2 * tallest;
}

/**
 * Rows of panels stacked further apart than `mergeNear` reaches (a multi-panel figure with room for
 * panel labels between its rows) are one figure when nothing but short labels lies between them:
 * a text line at least half as wide as the narrower drawing (a caption, a paragraph) between two
 * drawings keeps them two figures. Only drawings one above the other (sharing at least half the
 * narrower one's width): side by side, the gap may be a column gutter between two figures.
 * Drawings that overlap are always one.
 */
export function mergeStackedPanels(figures: Box[], textLines: Box[], gap: number): Box[] {
  const out = figures.map((b) => [...b] as Box);
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        const [top, bottom] = a[1] <= b[1] ? [a, b] : [b, a];
        const narrower = Math.min(a[2] - a[0], b[2] - b[0]);
        const sharedX = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        const dy = bottom[1] - top[3];
        const overlap = sharedX > 0 && dy < 0;
        if (!overlap) {
          if (sharedX < 0.5 * narrower || dy > gap) continue;
          const between: Box = [Math.max(a[0], b[0]), top[3], Math.min(a[2], b[2]), bottom[1]];
          if (textLines.some((l) => centerInside(l, between) && l[2] - l[0] >= 0.5 * narrower)) continue;
        }
        out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
        out.splice(j, 1);
        changed = true;
        break outer;
      }
    }
  }
  return out;
}

/**
 * Whether the text inside a box is laid out in cells: rows made of several separate pieces with
 * clear gaps, as tables have and paragraphs do not.
 */
export function looksTabular(box: Box, textLines: Box[]): boolean {
  const inside = textLines.filter((l) => centerInside(l, box)).sort((a, b) => a[1] + a[3] - b[1] - b[3]);
  const rows: Box[][] = [];
  for (const l of inside) {
    const cy = (l[1] + l[3]) / 2;
    const row = rows.find((r) => Math.abs((r[0]![1] + r[0]![3]) / 2 - cy) < 0.3 * (l[3] - l[1]));
    if (row) row.push(l);
    else rows.push([l]);
  }
  // Three pieces in a row are cells too: detector boxes are padded (unclip), so cells a vertical rule
  // or a narrow gutter apart touch, while one line of text rarely breaks into three.
  const multi = rows.filter((r) => {
    const s = [...r].sort((a, b) => a[0] - b[0]);
    return s.length >= 3 || s.some((b, i) => i > 0 && b[0] - s[i - 1]![2] > 0.5 * (b[3] - b[1]));
  }).length;
  return multi >= 2 && multi >= 0.4 * rows.length;
}

/**
 * Tables from horizontal rules: two or more rules spanning about the same columns, close enough
 * to frame one body, with text rows between them (booktabs-style journal tables).
 */
export function tablesFromRules(rules: Box[], textLines: Box[], height: number): Box[] {
  const sorted = [...rules].sort((a, b) => a[1] - b[1]);
  const used = new Set<number>();
  const tables: Box[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used.has(i)) continue;
    const group = [i];
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[group.at(-1)!]!;
      const b = sorted[j]!;
      const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
      if (overlap >= 0.8 * Math.min(a[2] - a[0], b[2] - b[0]) && b[1] - a[3] < 0.45 * height) group.push(j);
    }
    if (group.length < 2) continue;
    const top = sorted[group[0]!]!;
    const bottom = sorted[group.at(-1)!]!;
    const box: Box = [Math.min(...group.map((k) => sorted[k]![0])), top[1], Math.max(...group.map((k) => sorted[k]![2])), bottom[3]];
    if (!looksTabular(box, textLines)) continue;
    for (const k of group) used.add(k);
    tables.push(box);
  }
  return tables;
}

/**
 * Where a figure found in the ink ends when its box has run into the caption below it: the top of
 * a run of text lines in its lower part that reaches its bottom edge, set as text is (each within
 * about a line of the next), with at least one line as wide as most of the figure. A caption is set
 * at the text width right under the drawing, and the lines of it the text detector missed (pale or
 * small type) leave ink that the figure's box grows over; labels inside a chart are short. The first
 * and last lines of a caption may be short. Undefined when there is no such run.
 */
export function captionCut(figure: Box, lines: Box[]): number | undefined {
  const [, top, , bottom] = figure;
  const width = figure[2] - figure[0];
  const height = bottom - top;
  const inside = lines.filter((l) => centerInside(l, figure)).sort((a, b) => b[3] - a[3]);
  let cut: number | undefined;
  let edge = bottom;
  let wide = false;
  for (const l of inside) {
    const lh = l[3] - l[1];
    if (l[1] < top + 0.4 * height || edge - l[3] > 1.5 * lh) break;
    if (l[2] - l[0] >= 0.6 * width) wide = true;
    cut = l[1];
    edge = l[1];
  }
  return wide ? cut : undefined;
}
