import type { Region, RgbImage } from '@roche/core';
import {
  type LayoutEngine,
  type PageLayout,
  union,
  type Box,
  groupLines,
  orderedRegions,
  type TextLine,
  TextDetector,
  type TextDetectorOptions,
} from '@roche/inference';
import { classifyParagraph, pageStats, type Classified } from './classify.js';
import { centerInside, findGraphics, tablesFromRules } from './graphics.js';
import { inkComponents, inkDensity, luminance, nonTextInk } from './ink.js';
import { mergeRows, splitParagraphs } from './paragraphs.js';

/**
 * Inverts DB's unclip for an axis-aligned box: finds the offset d with W = w + 2d, H = h + 2d and
 * d = ratio·w·h / (2(w + h)), then moves each side in by `share`·d.
 */
export function shrinkUnclipped(box: Box, share: number, ratio = 1.5): Box {
  const W = box[2] - box[0];
  const H = box[3] - box[1];
  // f(d) = d - ratio·w·h / (2(w + h)) rises from negative at 0; bisect for its root.
  let lo = 0;
  let hi = Math.min(W, H) / 2;
  for (let k = 0; k < 30; k++) {
    const d = (lo + hi) / 2;
    const w = W - 2 * d;
    const h = H - 2 * d;
    if (d - (ratio * w * h) / (2 * (w + h)) < 0) lo = d;
    else hi = d;
  }
  const d = lo;
  const t = Math.min(share * d, W / 4, H / 4);
  return [box[0] + t, box[1] + t, box[2] - t, box[3] - t];
}

/**
 * Layout of one page from the text-line map and the page image, without a layout model:
 * non-text ink gives figures, rules and ruled grids give tables, the remaining text lines are
 * grouped into blocks, split into paragraphs, and each paragraph is classified; captions next to a
 * figure or table are marked as such. Deterministic; time is one detector pass plus linear scans.
 */
export function analyzeLayout(page: RgbImage, lines: TextLine[]): Region[] {
  const gray = luminance(page);
  const lineBoxes = lines.map((l) => l.box);
  const grid = nonTextInk(page, gray, lineBoxes);
  const g = findGraphics(inkComponents(grid, page.width, page.height), lineBoxes, page.width, page.height, grid.cell);

  const out: Classified[] = [];
  // Chart axes look like table rules: a ruled region that is mostly drawing is a figure.
  const area = (b: Box) => (b[2] - b[0]) * (b[3] - b[1]);
  const tables = [...g.grids, ...tablesFromRules(g.rules, lineBoxes, page.height)].filter(
    (t) => !g.figures.some((f) => centerInside(f, t) && area(f) > 0.3 * area(t)),
  );
  let free = lines;
  for (const t of tables) {
    const inside = free.filter((l) => centerInside(l.box, t));
    free = free.filter((l) => !centerInside(l.box, t));
    out.push({ label: 'table', box: union([t, ...inside.map((l) => l.box)]), score: 0.75 });
  }
  const overlapArea = (a: Box, b: Box) =>
    Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  for (const f of g.figures) {
    if (tables.some((t) => centerInside(f, t))) continue;
    // Ink left over from text the detector missed sits inside a paragraph: paragraph lines, wider
    // than the ink itself, run through it. A real figure has text around it, and only short labels
    // reach into it.
    const crossing = free.filter(
      (l) => !centerInside(l.box, f) && overlapArea(l.box, f) > 0.1 * area(l.box) && l.box[2] - l.box[0] > f[2] - f[0],
    ).length;
    if (crossing >= 2) continue;
    // Labels and legends inside a chart belong to the figure.
    const inside = free.filter((l) => centerInside(l.box, f));
    free = free.filter((l) => !centerInside(l.box, f));
    const box = union([f, ...inside.map((l) => l.box)]);
    // Logos and rules in the page margins are page furniture, as PP-DocLayout labels them.
    const label = box[3] <= 0.1 * page.height ? 'header_image' : box[1] >= 0.92 * page.height ? 'footer_image' : 'image';
    out.push({ label, box, score: 0.7 });
  }

  const paragraphs = groupLines(free).flatMap((b) => splitParagraphs(mergeRows(b.lines)));
  const densities = paragraphs.map((p) => p.rows.map((r) => inkDensity(gray, page.width, r)));
  const stats = pageStats(paragraphs, densities, page.width, page.height);
  // The detector's line boxes are unclipped beyond the glyphs (DB unclip); undo most of that offset
  // so paragraph boxes fit the text as a reader would draw them.
  const texts = paragraphs.map((p, i) => {
    const c = classifyParagraph(p, densities[i]!, stats);
    c.box = union(p.rows.map((r) => shrinkUnclipped(r, 0.6)));
    return c;
  });

  // The text block nearest to a figure or table, just below or above it, is its caption (one per object).
  for (const o of [...out]) {
    let best: Classified | undefined;
    let bestGap = 2 * stats.rowHeight;
    for (const t of texts) {
      if (t.label !== 'text') continue;
      const overlap = Math.min(t.box[2], o.box[2]) - Math.max(t.box[0], o.box[0]);
      const gap = t.box[1] >= o.box[3] ? t.box[1] - o.box[3] : o.box[1] - t.box[3];
      if (overlap > 0.3 * (t.box[2] - t.box[0]) && gap >= -2 && gap < bestGap) {
        best = t;
        bestGap = gap;
      }
    }
    if (best) {
      best.label = o.label === 'table' ? 'table_title' : 'figure_title';
      best.score *= 0.9;
    }
  }
  out.push(...texts);

  return orderedRegions(
    out.map((r) => ({ ...r, score: Math.round(Math.min(1, Math.max(0, r.score)) * 1000) / 1000 })),
    page,
  );
}

/** The embedded default: PP-OCRv4 text detection plus geometric layout analysis, all in-process on CPU. */
export class AnalyzerEngine implements LayoutEngine {
  readonly name = 'analyzer';
  private constructor(private readonly detector: TextDetector) {}

  static async create(opts: TextDetectorOptions = {}): Promise<AnalyzerEngine> {
    return new AnalyzerEngine(await TextDetector.create(opts));
  }

  async analyze(pages: RgbImage[]): Promise<PageLayout[]> {
    const out: PageLayout[] = [];
    for (const page of pages)
      out.push({ width: page.width, height: page.height, regions: analyzeLayout(page, await this.detector.detect(page)) });
    return out;
  }

  async close(): Promise<void> {
    await this.detector.close();
  }
}
