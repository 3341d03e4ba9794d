import type { RgbImage } from '@roche/core';
import { connectedComponents } from '@roche/inference';

import type { Box } from '@roche/core';

/** A coarse ink map: the page cut into `cell`×`cell` squares, each marked when it holds dark pixels. */
export interface InkGrid {
  cell: number;
  cols: number;
  rows: number;
  ink: Uint8Array;
  /** Luminance of the page, full resolution (for per-line ink density). */
  gray: Uint8Array;
  width: number;
}

export function luminance(page: RgbImage): Uint8Array {
  const n = page.width * page.height;
  const g = new Uint8Array(n);
  for (let i = 0; i < n; i++) g[i] = (page.data[i * 3]! * 77 + page.data[i * 3 + 1]! * 150 + page.data[i * 3 + 2]! * 29) >> 8;
  return g;
}

/** Cells with ink (luminance under `dark`), with the text lines' areas erased so only non-text ink is left. */
export function nonTextInk(page: RgbImage, gray: Uint8Array, textBoxes: Box[], dark = 170): InkGrid {
  const cell = Math.max(2, Math.round(Math.max(page.width, page.height) / 400));
  const cols = Math.ceil(page.width / cell);
  const rows = Math.ceil(page.height / cell);
  const count = new Uint16Array(cols * rows);
  for (let y = 0; y < page.height; y++) {
    const row = Math.floor(y / cell) * cols;
    for (let x = 0; x < page.width; x++) if (gray[y * page.width + x]! < dark) count[row + Math.floor(x / cell)]!++;
  }
  const ink = new Uint8Array(cols * rows);
  // A cell counts when a few pixels in it are dark: specks of scanner noise do not.
  const min = Math.max(1, Math.round((cell * cell) / 16));
  for (let i = 0; i < ink.length; i++) ink[i] = count[i]! >= min ? 1 : 0;
  for (const [x1, b1, x2, b2] of textBoxes) {
    // Erase only the glyph core: the detector's unclipped boxes reach over nearby rules and frames.
    const y1 = b1 + 0.25 * (b2 - b1);
    const y2 = b2 - 0.25 * (b2 - b1);
    for (let r = Math.max(0, Math.floor(y1 / cell)); r < Math.min(rows, Math.ceil(y2 / cell)); r++) {
      ink.fill(0, r * cols + Math.max(0, Math.floor(x1 / cell)), r * cols + Math.min(cols, Math.ceil(x2 / cell)));
    }
  }
  return { cell, cols, rows, ink, gray, width: page.width };
}

export interface InkComponent {
  box: Box;
  /** Share of the component's bounding box covered by ink cells. */
  fill: number;
}

/** Connected ink regions (8-connected cells), boxes in page pixels. */
export function inkComponents(g: InkGrid, pageWidth: number, pageHeight: number): InkComponent[] {
  const { labels, count } = connectedComponents(g.ink, g.cols, g.rows);
  const b = Array.from({ length: count + 1 }, () => [Infinity, Infinity, -1, -1, 0]);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!l) continue;
    const x = i % g.cols;
    const y = (i - x) / g.cols;
    const e = b[l]!;
    e[0] = Math.min(e[0]!, x);
    e[1] = Math.min(e[1]!, y);
    e[2] = Math.max(e[2]!, x);
    e[3] = Math.max(e[3]!, y);
    e[4]!++;
  }
  return b.slice(1).map(([x1, y1, x2, y2, n]) => ({
    box: [x1! * g.cell, y1! * g.cell, Math.min(pageWidth, (x2! + 1) * g.cell), Math.min(pageHeight, (y2! + 1) * g.cell)] as Box,
    fill: n! / ((x2! - x1! + 1) * (y2! - y1! + 1)),
  }));
}

/**
 * The pixels of a line box that hold its strokes, as [x1, y1, x2, y2) clipped to the image (never
 * beyond it, whatever box is given): the detector's boxes are unclipped around the glyphs, so the
 * middle band of the height, and with `insetX` the ends pulled in by as much.
 */
function glyphBand(gray: Uint8Array, width: number, box: Box, insetX: boolean): [number, number, number, number] {
  const h = box[3] - box[1];
  const height = Math.floor(gray.length / width);
  const dx = insetX ? h * 0.3 : 0;
  return [
    Math.max(0, Math.round(box[0] + dx)),
    Math.max(0, Math.round(box[1] + h * 0.3)),
    Math.min(width, Math.round(box[2] - dx)),
    Math.min(height, Math.round(box[3] - h * 0.3)),
  ];
}

/** Share of dark pixels in the middle band of a line box: bold text and large type score higher than body text. */
export function inkDensity(gray: Uint8Array, width: number, box: Box, dark = 128): number {
  const [x1, y1, x2, y2] = glyphBand(gray, width, box, true);
  let n = 0;
  let d = 0;
  for (let y = y1; y < y2; y++)
    for (let x = x1; x < x2; x++) {
      n++;
      if (gray[y * width + x]! < dark) d++;
    }
  return n ? d / n : 0;
}

/**
 * Mean length of the horizontal dark runs in the middle band of a line box, in pixels: about the
 * width of the glyphs' vertical stems. Bold type has stems about 1.5× as wide as regular type of the
 * same size (section headings, caption and list labels), which ink density mixes up with size and
 * spacing. (Counting grey edge pixels as part ink, for sub-pixel widths on small scans, did worse in
 * cross-validation.)
 */
export function strokeWidth(gray: Uint8Array, width: number, box: Box, dark = 128): number {
  const [x1, y1, x2, y2] = glyphBand(gray, width, box, false);
  let ink = 0;
  let runs = 0;
  for (let y = y1; y < y2; y++) {
    let inRun = false;
    for (let x = x1; x < x2; x++) {
      const d = gray[y * width + x]! < dark;
      if (d) {
        ink++;
        if (!inRun) runs++;
      }
      inRun = d;
    }
  }
  return runs ? ink / runs : 0;
}
