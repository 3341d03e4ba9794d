import os from 'node:os';
import { RocheError, TimedThreadPool, type PageTextLayer, type Region, type RgbImage } from '@roche/core';
import {
  type AnalyzeOptions,
  type LayoutEngine,
  type PageLayout,
  union,
  type Box,
  groupLines,
  orderedRegions,
  overlapArea,
  type TextLine,
  TextDetector,
  type TextDetectorOptions,
} from '@roche/inference';
import type { Classified } from './classify.js';
import { FEATURE_NAMES, rowFeatures, type PageObject, type PageRow } from './features.js';
import { RowModel, TEXT_MODEL_PATH } from './row-model.js';
import { linesFromTextLayer, type AnalyzerLine, type LineText } from './pdf-lines.js';
import { TEXT_FEATURE_NAMES, textFeatures } from './text-features.js';
import { captionCut, centerInside, findGraphics, tablesFromRules } from './graphics.js';
import { inkComponents, inkDensity, luminance, nonTextInk, strokeWidth } from './ink.js';
import { findGutter, gutterInk, splitAtGutter } from './gutters.js';
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

const area = (b: Box) => (b[2] - b[0]) * (b[3] - b[1]);

/** One read row from the text lines that make it (left to right): texts joined, inks united, font shares weighted by length. */
export function joinRead(lines: readonly AnalyzerLine[]): LineText | undefined {
  const rs = lines.flatMap((l) => (l.read ? [l.read] : []));
  if (!rs.length) return undefined;
  const w = rs.map((r) => Math.max(1, r.text.length));
  const total = w.reduce((a, b) => a + b, 0);
  const mean = (f: (r: LineText) => number) => rs.reduce((a, r, i) => a + f(r) * w[i]!, 0) / total;
  return {
    text: rs.map((r) => r.text).join(' '),
    ink: union(rs.map((r) => r.ink)),
    size: mean((r) => r.size),
    bold: mean((r) => r.bold),
    italic: mean((r) => r.italic),
  };
}

/** Text of lines in reading order within one region: rows top to bottom, lines left to right, rows joined by newlines. */
export function textOf(lines: readonly AnalyzerLine[]): string | undefined {
  const read = lines.filter((l) => l.read);
  if (!read.length) return undefined;
  return mergeRows(read)
    .map((r) => r.lines.map((l) => l.read!.text).join(' '))
    .join('\n');
}

/** What the geometric pass finds on a page before any row is classified. */
export interface Segmented {
  /** Tables and figures found from the ink, with the text lines inside them absorbed. */
  objects: Classified[];
  rows: PageRow[];
  features: number[][];
}

/**
 * The geometric half of the analysis: non-text ink gives figures, rules and ruled grids give
 * tables, the remaining text lines are grouped into blocks, rows and paragraphs, and every row gets
 * its feature vector. Deterministic; no class is decided here except for the ink objects.
 */
export function segmentPage(page: RgbImage, lines: AnalyzerLine[], opts: { textLayer?: boolean; images?: Box[] } = {}): Segmented {
  const gray = luminance(page);
  const lineBoxes = lines.map((l) => l.box);
  const grid = nonTextInk(page, gray, lineBoxes);
  const g = findGraphics(inkComponents(grid, page.width, page.height), lineBoxes, page.width, page.height, grid.cell);
  // Pictures placed in a PDF are figures whatever their ink looks like (pale photos, scans with
  // text in them); an ink figure over one grows to hold it.
  for (const im of opts.images ?? []) {
    const k = g.figures.findIndex((f) => overlapArea(f, im) > 0.5 * area(im));
    if (k >= 0) g.figures[k] = union([g.figures[k]!, im]);
    else g.figures.push(im);
  }

  const out: Classified[] = [];
  // Chart axes look like table rules: a ruled region that is mostly drawing is a figure.
  const tables = [...g.grids, ...tablesFromRules(g.rules, lineBoxes, page.height)].filter(
    (t) => !g.figures.some((f) => centerInside(f, t) && area(f) > 0.3 * area(t)),
  );
  let free = lines;
  for (const t of tables) {
    const inside = free.filter((l) => centerInside(l.box, t));
    free = free.filter((l) => !centerInside(l.box, t));
    out.push({ label: 'table', box: union([t, ...inside.map((l) => l.read?.ink ?? l.box)]), score: 0.75, text: textOf(inside) });
  }
  for (let f of g.figures) {
    if (tables.some((t) => centerInside(f, t))) continue;
    // A caption the figure's ink ran into stays text (the row model classifies it). Only on page
    // images: the ink comes from caption lines the text detector missed, while a text layer has
    // every line (there, the cut made the 5-fold CV worse: PDF macro F1 0.681 → 0.652 at seed 7).
    const cut = opts.textLayer
      ? undefined
      : captionCut(
          f,
          free.map((l) => l.box),
        );
    if (cut !== undefined) f = [f[0], f[1], f[2], cut];
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
    const box = union([f, ...inside.map((l) => l.read?.ink ?? l.box)]);
    // Logos and rules in the page margins are page furniture, as PP-DocLayout labels them.
    const label = box[3] <= 0.1 * page.height ? 'header_image' : box[1] >= 0.92 * page.height ? 'footer_image' : 'image';
    out.push({ label, box, score: 0.7, text: textOf(inside) });
  }

  // Page images only: a text layer's lines are already split at gaps wider than a word space.
  if (!opts.textLayer) {
    const ink = gutterInk(gray, page.width);
    const gutter = findGutter(
      free.map((l) => l.box),
      ink,
    );
    if (gutter !== undefined) free = splitAtGutter(free, ink, gutter);
  }
  const rows: PageRow[] = [];
  let paragraph = 0;
  groupLines(free).forEach((b, block) => {
    for (const p of splitParagraphs(mergeRows(b.lines))) {
      for (const [k, r] of p.rows.entries()) {
        const pieces = p.pieces[k] ?? [r];
        const stroke = strokeWidth(gray, page.width, r);
        rows.push({
          box: r,
          score: p.rowScores[k] ?? p.score,
          pieces,
          density: inkDensity(gray, page.width, r),
          stroke,
          // A row of one piece is its piece: measured once.
          firstStroke: pieces.length === 1 ? stroke : strokeWidth(gray, page.width, [pieces[0]![0], r[1], pieces[0]![2], r[3]]),
          block,
          paragraph,
          list: p.list,
          read: joinRead(p.lines[k] ?? []),
        });
      }
      paragraph++;
    }
  });
  const objects: PageObject[] = out.map((o) => ({ kind: o.label === 'table' ? 'table' : 'image', box: o.box }));
  const base = rowFeatures({ width: page.width, height: page.height, rows, objects });
  if (!opts.textLayer) return { objects: out, rows, features: base };
  const extra = textFeatures(rows);
  return { objects: out, rows, features: base.map((f, i) => [...f, ...extra[i]!]) };
}

/** Classes of running text: one paragraph is one of them throughout. */
const BODY_CLASSES = new Set(['text', 'list', 'reference', 'abstract', 'footnote']);

/**
 * Each row's class, with the rows of one paragraph that the forest puts in running-text classes
 * given the class their probabilities favour together: a reference or list entry whose middle row
 * looks like plain text is still one entry. Rows of other classes (headings, formulas, captions,
 * furniture) keep their own.
 */
function paragraphLabels(rows: readonly PageRow[], probs: number[][], classes: readonly string[]): string[] {
  const label = probs.map((p) => classes[p.indexOf(Math.max(...p))]!);
  const body = classes.map((c) => BODY_CLASSES.has(c));
  const sums = new Map<number, number[]>();
  rows.forEach((r, i) => {
    if (!BODY_CLASSES.has(label[i]!)) return;
    const s = sums.get(r.paragraph) ?? classes.map(() => 0);
    probs[i]!.forEach((p, c) => (s[c]! += body[c] ? p : 0));
    sums.set(r.paragraph, s);
  });
  return label.map((l, i) => {
    const s = BODY_CLASSES.has(l) ? sums.get(rows[i]!.paragraph) : undefined;
    return s ? classes[s.indexOf(Math.max(...s))]! : l;
  });
}

/**
 * Regions from classified rows: consecutive rows of one block with the same class form a region;
 * body text also breaks at paragraph boundaries. A caption is a figure or table caption after the
 * nearest object. Scores are the mean share of trees that voted for the region's class.
 */
export function assembleRegions(
  seg: Segmented,
  probs: number[][],
  classes: readonly string[],
  page: { width: number; height: number },
): Region[] {
  const out: Classified[] = [...seg.objects];
  const label = paragraphLabels(seg.rows, probs, classes);
  let run: number[] = [];
  const flush = () => {
    if (!run.length) return;
    const cls = label[run[0]!]!;
    const ci = classes.indexOf(cls);
    const conf = run.reduce((a, i) => a + probs[i]![ci]! * seg.rows[i]!.score, 0) / run.length;
    // Rows read from a PDF have their ink box; detector rows are shrunk back from the unclip.
    const box = union(run.map((i) => seg.rows[i]!.read?.ink ?? shrinkUnclipped(seg.rows[i]!.box, 0.6)));
    const read = run.flatMap((i) => (seg.rows[i]!.read ? [seg.rows[i]!.read!.text] : []));
    out.push({ label: cls, box, score: conf, ...(read.length ? { text: read.join('\n') } : {}) });
    run = [];
  };
  seg.rows.forEach((r, i) => {
    const prev = run.length ? seg.rows[run.at(-1)!]! : undefined;
    const same = prev && prev.block === r.block && label[run[0]!] === label[i] && (label[i] !== 'text' || prev.paragraph === r.paragraph);
    if (!same) flush();
    run.push(i);
  });
  flush();
  for (const c of out) {
    if (c.label !== 'caption') continue;
    let best: Classified | undefined;
    let bestGap = Infinity;
    for (const o of seg.objects) {
      const gap = c.box[1] >= o.box[3] ? c.box[1] - o.box[3] : Math.max(0, o.box[1] - c.box[3]);
      if (gap < bestGap) [best, bestGap] = [o, gap];
    }
    for (const o of out) {
      if (o.label !== 'table' || seg.objects.includes(o)) continue;
      const gap = c.box[1] >= o.box[3] ? c.box[1] - o.box[3] : Math.max(0, o.box[1] - c.box[3]);
      if (gap < bestGap) [best, bestGap] = [o, gap];
    }
    c.label = best?.label === 'table' ? 'table_title' : 'figure_title';
  }
  // Short rows in the page margins classed as furniture: a lone narrow one is the page number.
  for (const c of out)
    if (c.label === 'header' && c.box[1] > 0.5 * page.height) c.label = c.box[2] - c.box[0] < 0.06 * page.width ? 'number' : 'footer';
  for (const c of out) if (c.label === 'header' && c.box[2] - c.box[0] < 0.06 * page.width) c.label = 'number';
  return orderedRegions(
    out.map(({ text, ...r }) => ({
      ...r,
      score: Math.round(Math.min(1, Math.max(0, r.score)) * 1000) / 1000,
      ...(text !== undefined ? { text } : {}),
    })),
    page,
  );
}

let defaultModel: RowModel | undefined;
let defaultTextModel: RowModel | undefined;

/**
 * Layout of one page from the text-line map and the page image: the geometric pass finds ink
 * objects and text rows, the trained row classifier labels every row, rows become regions.
 */
export function analyzeLayout(page: RgbImage, lines: TextLine[], model?: RowModel): Region[] {
  const m = model ?? (defaultModel ??= RowModel.load());
  const seg = segmentPage(page, lines);
  return assembleRegions(seg, m.probabilities(seg.features), m.classes, page);
}

/**
 * Layout of a PDF page from its text layer: the PDF's lines (text, fonts) take the detector's
 * place, the page image still gives figures, rules and tables (scanned figures included), and the
 * text model, trained with font and text features, labels the rows. Regions carry their text.
 */
export function analyzeTextLayer(page: RgbImage, layer: PageTextLayer, model?: RowModel): Region[] {
  const m = model ?? (defaultTextModel ??= RowModel.load(TEXT_MODEL_PATH, TEXT_MODEL_FEATURES));
  const seg = segmentTextLayer(page, layer);
  return assembleRegions(seg, m.probabilities(seg.features), m.classes, page);
}

/**
 * The geometric pass on a PDF page: the text layer's lines instead of detected ones, and its placed
 * pictures (neither tiny marks nor a page-filling background) as figures beside those found in the ink.
 */
export function segmentTextLayer(page: RgbImage, layer: PageTextLayer): Segmented {
  const sx = page.width / layer.width;
  const sy = page.height / layer.height;
  const pageArea = page.width * page.height;
  const images = layer.graphics
    .filter((gr) => gr.kind === 'image')
    .map((gr): Box => [gr.box[0] * sx, gr.box[1] * sy, gr.box[2] * sx, gr.box[3] * sy])
    .filter((b) => area(b) > 0.004 * pageArea && area(b) < 0.8 * pageArea);
  return segmentPage(page, linesFromTextLayer(layer, page), { textLayer: true, images });
}

/** Features of the text-layer model: the image model's, then font and text. */
export const TEXT_MODEL_FEATURES: readonly string[] = [...FEATURE_NAMES, ...TEXT_FEATURE_NAMES];

/**
 * One page for an analysis thread: its pixels and the PDF's text layer when it has one; without a
 * layer the thread finds the text lines itself (`lines` given: those instead).
 */
export interface AnalysisRequest {
  width: number;
  height: number;
  /** Shared with the caller when the page lives in a SharedArrayBuffer (rendered pages), else a copy. */
  data: Uint8Array;
  lines?: TextLine[];
  layer?: PageTextLayer;
}

/** How long the analysis of one page (text detection included) may take on a thread before it is stopped (ROCHE_ANALYSIS_TIMEOUT_MS). */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 60_000;

export interface AnalyzerOptions extends TextDetectorOptions {
  /** Threads that detect text and analyse pages (0: on the caller's event loop, no time limit). */
  threads?: number;
  timeoutMs?: number;
}

/** The embedded default: PP-OCRv4 text detection plus geometric layout analysis, all on CPU; PDF text layers when given. */
export class AnalyzerEngine implements LayoutEngine {
  readonly name = 'analyzer';
  readonly readsTextLayer = true;
  private constructor(
    /** On the event loop only when there are no threads; otherwise each thread has its own. */
    private readonly detector: TextDetector | undefined,
    private readonly model: RowModel,
    private readonly textModel: RowModel,
    private readonly pool?: TimedThreadPool<AnalysisRequest, Region[]>,
  ) {}

  static async create(opts: AnalyzerOptions = {}): Promise<AnalyzerEngine> {
    // The models load first: a missing or stale model file fails here, not on the first page.
    const model = RowModel.load();
    const textModel = RowModel.load(TEXT_MODEL_PATH, TEXT_MODEL_FEATURES);
    const { threads = 0, timeoutMs = DEFAULT_ANALYSIS_TIMEOUT_MS, ...det } = opts;
    if (!threads) return new AnalyzerEngine(await TextDetector.create(det), model, textModel);
    // Text detection runs on the threads too: onnxruntime-node runs a session synchronously on the
    // calling thread, so on the event loop each page held it for 0.3-0.7 s (status reads of an API
    // in the same process waited that long). Each thread's session gets an equal share of the cores
    // unless told otherwise, so the threads together do not oversubscribe them.
    const detector: TextDetectorOptions = {
      ...det,
      intraOpNumThreads: det.intraOpNumThreads || Math.max(1, Math.floor(os.availableParallelism() / threads)),
    };
    // The production build rewrites this URL to the bundled thread module (scripts/build.ts).
    const pool = new TimedThreadPool<AnalysisRequest, Region[]>(new URL('./analysis-thread.ts', import.meta.url), {
      threads,
      timeoutMs,
      name: 'roche-analysis',
      workerData: detector,
      background: true,
      timeoutError: (what, ms) =>
        new RocheError('corrupt_document', `${what} took over ${ms / 1000} s and was stopped; the page is too complex to analyse`, {
          retryable: false,
        }),
    });
    // The threads load their models and sessions now, not on the first page.
    pool.prestart();
    return new AnalyzerEngine(undefined, model, textModel, pool);
  }

  async analyze(pages: RgbImage[], opts: AnalyzeOptions = {}): Promise<PageLayout[]> {
    const out: Array<Promise<PageLayout>> = [];
    for (const [i, page] of pages.entries()) {
      const layer = opts.textLayers?.[i] ?? undefined;
      // Without threads, each page's lines are found here, one page after the other.
      const lines = layer || this.pool ? undefined : await this.detector!.detect(page);
      const done = this.regions(page, lines, layer).then((regions) => ({ width: page.width, height: page.height, regions }));
      // Seen at once: a page that fails while the next is still being detected must not be an unhandled rejection.
      done.catch(() => {});
      out.push(done);
    }
    return Promise.all(out);
  }

  private async regions(page: RgbImage, lines: TextLine[] | undefined, layer: PageTextLayer | undefined): Promise<Region[]> {
    if (!this.pool) return layer ? analyzeTextLayer(page, layer, this.textModel) : analyzeLayout(page, lines ?? [], this.model);
    const d = page.data;
    // A shared buffer is shared with the thread as is; otherwise only the page's own bytes are copied
    // (a view into a larger buffer would copy all of it).
    const whole = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
    const data = d.buffer instanceof SharedArrayBuffer || whole ? d : new Uint8Array(d);
    return this.pool.run({ width: page.width, height: page.height, data, layer }, 'the analysis of a page');
  }

  async close(): Promise<void> {
    await this.pool?.close();
    await this.detector?.close();
  }
}
