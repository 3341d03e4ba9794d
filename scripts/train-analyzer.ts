/**
 * Trains the embedded analyzer's row classifier from the shared sample pages and reports
 * cross-validated quality (k-fold by page: every page is scored by a model that never saw it).
 *
 *   npm run train:analyzer                 # CV report, then the final model on all pages
 *   npm run train:analyzer -- --cv-only    # CV report only, the committed model is left alone
 *   npm run train:analyzer -- --cv-only --seed 7 --balance 1   # other forest seed (outputs cv-*-seed7.json) / class weighting
 *   npm run train:analyzer -- --cv-only --min-side 1100        # detector enlarging small pages to 1100 px (default 0: off; cv-*-min1100.json)
 *   npm run train:analyzer -- --cv-only --tag base             # outputs cv-*-base.json (an experiment's baseline beside it)
 *   npm run train:analyzer -- --cv-only --confusion            # also each model's row-level confusion
 *   npm run train:analyzer -- --cv-only --rows list            # the text model's held-out rows of a class, with their text
 *   npm run train:analyzer -- --cv-only --without blockPitchBody,rowsBelowColumn   # ablation: what two features bring
 *   npm run train:analyzer -- --synthetic 0 --synthetic-images 0   # real pages only (defaults: 300 synthetic PDF pages for the
 *                                                              # text-layer model, 200 rendered for the image model, each row
 *                                                              # weighing 0.3 of a real one: --synthetic-weight)
 *
 * Samples come from ../shared/samples (or ROCHE_SHARED_SAMPLES). DocBank pages are read from
 * there and never copied: only the trained forest (numbers) is written into the repository.
 * Detector output is cached under .cache/ (the slow part; the geometric pass and training rerun).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Region, RgbImage } from '@roche/core';
import { decodeImage, openDocument } from '@roche/documents';
import {
  docbankPredictions,
  docbankScores,
  DocbankTokens,
  evaluate,
  formatApTable,
  formatDocbankScores,
  PUBLAYNET_MAPPING,
  mapLabel,
  type EvalImage,
} from '@roche/eval';
import { TextDetector, type TextLine } from '@roche/inference';
import { cvConfigId } from './cv-config.js';
import { makeSyntheticPage } from './synthetic-pages.js';
import {
  assembleRegions,
  DEFAULT_MODEL_PATH,
  RowModel,
  segmentTextLayer,
  TEXT_MODEL_FEATURES,
  TEXT_MODEL_PATH,
  rowLabelFromPublaynet,
  rowLabelFromTokens,
  segmentPage,
  type DocbankToken,
  type Segmented,
} from '@roche/analyzer';

const root = path.resolve(import.meta.dirname, '..');
const samples = process.env.ROCHE_SHARED_SAMPLES ?? path.resolve(root, '../shared/samples');
const args = process.argv.slice(2);
const cvOnly = args.includes('--cv-only');
const folds = Number(args[args.indexOf('--folds') + 1]) || 5;
/** Class weight = frequency^-balance (0: none, 0.5: the default, 1: every class weighs the same). */
const balance = args.includes('--balance') ? Number(args[args.indexOf('--balance') + 1]) : undefined;
/** Forest seed (default 42, the committed models'): other seeds show how much the CV figures move with the forest's randomness. */
const seed = args.includes('--seed') ? Number(args[args.indexOf('--seed') + 1]) : undefined;
const trees = args.includes('--trees') ? Number(args[args.indexOf('--trees') + 1]) : undefined;
/** Prints each model's row-level confusion (truth × argmax) over the held-out rows. */
const confusion = args.includes('--confusion');
/** Prints the text model's held-out rows of this true class with what they were predicted as, and their text. */
const showRows = args.includes('--rows') ? args[args.indexOf('--rows') + 1] : undefined;
/** Synthetic article pages (scripts/synthetic-pages.ts) added to the text-layer model's training in every fold; the scores stay on real pages. */
const synthetic = args.includes('--synthetic') ? Number(args[args.indexOf('--synthetic') + 1]) : 300;
/** The same synthetic pages rendered at DocBank's 100 dpi and read by the detector, for the page-image model. */
const syntheticImages = args.includes('--synthetic-images') ? Number(args[args.indexOf('--synthetic-images') + 1]) : 200;
/** How much a synthetic row weighs against a real one in training. */
const syntheticWeight = args.includes('--synthetic-weight') ? Number(args[args.indexOf('--synthetic-weight') + 1]) : 0.3;
/** Ablation: these features (comma-separated names) are held constant in training and scoring, so no tree can use them. */
const without = new Set(args.includes('--without') ? args[args.indexOf('--without') + 1]!.split(',') : []);
const cacheDir = path.join(root, '.cache/analyzer-train');
fs.mkdirSync(cacheDir, { recursive: true });

interface Page {
  set: 'publaynet' | 'docbank' | 'docbank-pdf';
  file: string;
  width: number;
  height: number;
  seg: Segmented;
  labels: (string | null)[];
  segMs: number;
  detMs: number;
  /** PDF pages: reading the text layer and rendering, ms. */
  textMs?: number;
  renderMs?: number;
}

const publaynet = JSON.parse(fs.readFileSync(path.join(samples, 'publaynet/annotations_simple.json'), 'utf8')) as {
  images: Array<{ file: string; width: number; height: number; regions: Array<{ label: string; bbox: [number, number, number, number] }> }>;
};
const docbank = JSON.parse(fs.readFileSync(path.join(samples, 'docbank/tokens.json'), 'utf8')) as {
  images: Array<{ file: string; width: number; height: number; tokens: DocbankToken[] }>;
};

/** Detector setting under study: pages with a shorter long side are enlarged to it (default: the engine's). */
const minSide = args.includes('--min-side') ? Number(args[args.indexOf('--min-side') + 1]) : undefined;
/** Cross-validation outputs of runs with another seed or detector setting go to their own files, so such runs can go in parallel. */
const tag = args.includes('--tag') ? args[args.indexOf('--tag') + 1] : undefined;
const cvTag = `${seed === undefined ? '' : `-seed${seed}`}${minSide === undefined ? '' : `-min${minSide}`}${tag ? `-${tag}` : ''}`;
const detector = await TextDetector.create({ intraOpNumThreads: 1, minSideLen: minSide });
const modelTag = `${crypto.createHash('sha1').update(fs.readFileSync(TextDetector.defaultModelPath())).digest('hex').slice(0, 8)}-${detector.sizeTag}`;

async function load(set: Page['set'], file: string): Promise<{ page: RgbImage; lines: TextLine[]; detMs: number }> {
  const page = await decodeImage(fs.readFileSync(path.join(samples, set, file)), { maxPagePixels: 1e8 });
  const cache = path.join(cacheDir, `${set}-${file}-${modelTag}.json`);
  if (fs.existsSync(cache)) return { page, ...(JSON.parse(fs.readFileSync(cache, 'utf8')) as { lines: TextLine[]; detMs: number }) };
  const t0 = performance.now();
  const lines = await detector.detect(page);
  const detMs = performance.now() - t0;
  fs.writeFileSync(cache, JSON.stringify({ lines, detMs }));
  return { page, lines, detMs };
}

const pages: Page[] = [];
for (const im of publaynet.images) {
  const { page, lines, detMs } = await load('publaynet', im.file);
  const t0 = performance.now();
  const seg = segmentPage(page, lines);
  pages.push({
    set: 'publaynet',
    file: im.file,
    width: page.width,
    height: page.height,
    seg,
    labels: seg.rows.map((r) => rowLabelFromPublaynet(r.box, im.regions, page.height)),
    segMs: performance.now() - t0,
    detMs,
  });
}
for (const im of docbank.images) {
  const { page, lines, detMs } = await load('docbank', im.file);
  const t0 = performance.now();
  const seg = segmentPage(page, lines);
  pages.push({
    set: 'docbank',
    file: im.file,
    width: page.width,
    height: page.height,
    seg,
    labels: seg.rows.map((r) => rowLabelFromTokens(r.box, im.tokens)),
    segMs: performance.now() - t0,
    detMs,
  });
}
/** A synthetic page as a training page: its generator's tokens, given in points, scaled to the page's `dpi`. */
function syntheticTrainingPage(s: number, set: Page['set'], page: RgbImage, seg: Segmented, points: DocbankToken[], dpi: number): Page {
  const k = dpi / 72;
  const tokens = points.map((t) => ({ ...t, bbox: t.bbox.map((v) => v * k) as DocbankToken['bbox'] }));
  return {
    set,
    file: `synthetic-${s}`,
    width: page.width,
    height: page.height,
    seg,
    labels: seg.rows.map((r) => rowLabelFromTokens(r.box, tokens)),
    segMs: 0,
    detMs: 0,
  };
}

// Synthetic pages for the image model: rendered at 100 dpi (DocBank's JPGs are 850×1100), detector lines cached.
const synthImagePages: Page[] = [];
for (let s = 1; s <= syntheticImages; s++) {
  const { pdf, tokens: pts } = makeSyntheticPage(s);
  const doc = await openDocument(pdf, 'pdf', { maxPages: 1, maxPagePixels: 2e8, dpi: 100 });
  const page = await doc.renderPage(0);
  doc.close();
  // Keyed by the page's bytes: a changed generator makes new pages, not stale cache hits.
  const cache = path.join(
    cacheDir,
    `synthetic-${crypto.createHash('sha1').update(pdf).digest('hex').slice(0, 12)}-100dpi-${modelTag}.json`,
  );
  let lines: TextLine[];
  if (fs.existsSync(cache)) lines = (JSON.parse(fs.readFileSync(cache, 'utf8')) as { lines: TextLine[] }).lines;
  else fs.writeFileSync(cache, JSON.stringify({ lines: (lines = await detector.detect(page)) }));
  synthImagePages.push(syntheticTrainingPage(s, 'docbank', page, segmentPage(page, lines), pts, 100));
}
await detector.close();

// The same DocBank pages as born-digital PDFs, read through their text layer at the service's default
// 144 dpi (token boxes, given in the JPG's pixels, are scaled to the rendered page).
const PDF_DPI = 144;
const textPages: Page[] = [];
const pdfDir = path.join(samples, 'docbank/pdf');
for (const im of docbank.images) {
  const f = path.join(pdfDir, im.file.replace(/\.[^.]+$/, '.pdf'));
  if (!fs.existsSync(f)) continue;
  const doc = await openDocument(fs.readFileSync(f), 'pdf', { maxPages: 1, maxPagePixels: 2e8, dpi: PDF_DPI });
  let t0 = performance.now();
  const layer = await doc.textLayer!(0);
  const textMs = performance.now() - t0;
  t0 = performance.now();
  const page = await doc.renderPage(0);
  const renderMs = performance.now() - t0;
  doc.close();
  if (!layer) {
    console.warn(`${im.file}: the PDF has no usable text layer; left out of the text-layer model`);
    continue;
  }
  t0 = performance.now();
  const seg = segmentTextLayer(page, layer);
  const segMs = performance.now() - t0;
  const sx = page.width / im.width;
  const sy = page.height / im.height;
  const tokens = im.tokens.map((t) => ({
    ...t,
    bbox: [t.bbox[0] * sx, t.bbox[1] * sy, t.bbox[2] * sx, t.bbox[3] * sy] as DocbankToken['bbox'],
  }));
  textPages.push({
    set: 'docbank-pdf',
    file: im.file,
    width: page.width,
    height: page.height,
    seg,
    labels: seg.rows.map((r) => rowLabelFromTokens(r.box, tokens)),
    segMs,
    detMs: 0,
    textMs,
    renderMs,
  });
}

// Synthetic pages, read exactly as the DocBank PDFs are (text layer at 144 dpi, tokens scaled from points).
const synthPages: Page[] = [];
for (let s = 1; s <= synthetic; s++) {
  const { pdf, tokens: pts } = makeSyntheticPage(s);
  const doc = await openDocument(pdf, 'pdf', { maxPages: 1, maxPagePixels: 2e8, dpi: PDF_DPI });
  const layer = await doc.textLayer!(0);
  const page = await doc.renderPage(0);
  doc.close();
  if (!layer) continue;
  synthPages.push(syntheticTrainingPage(s, 'docbank-pdf', page, segmentTextLayer(page, layer), pts, PDF_DPI));
}

if (without.size) {
  const unknown = [...without].filter((n) => !TEXT_MODEL_FEATURES.includes(n));
  if (unknown.length) throw new Error(`--without: no feature ${unknown.join(', ')}`);
  // The text model's features start with the image model's, so one index serves both.
  const cols = [...without].map((n) => TEXT_MODEL_FEATURES.indexOf(n));
  for (const p of [...pages, ...synthImagePages, ...textPages, ...synthPages])
    for (const f of p.seg.features) for (const c of cols) if (c < f.length) f[c] = 0;
}

function trainOn(ps: Page[], features?: readonly string[]): { model: RowModel; file: unknown } {
  const X: number[][] = [];
  const y: string[] = [];
  const rowWeights: number[] = [];
  for (const p of ps)
    p.seg.features.forEach((f, i) => {
      const l = p.labels[i];
      if (l) {
        X.push(f);
        y.push(l);
        rowWeights.push(p.file.startsWith('synthetic-') ? syntheticWeight : 1);
      }
    });
  return RowModel.train(X, y, { features, balance, seed, trees, rowWeights });
}

/** Row-level confusion over held-out rows, per model: truth → predicted → count. */
const rowConfusion = { image: new Map<string, Map<string, number>>(), text: new Map<string, Map<string, number>>() };
function countRows(which: keyof typeof rowConfusion, p: Page, probs: number[][], classes: string[]): void {
  probs.forEach((pr, i) => {
    const truth = p.labels[i];
    if (!truth) return;
    const pred = classes[pr.indexOf(Math.max(...pr))]!;
    const m = rowConfusion[which].get(truth) ?? new Map<string, number>();
    m.set(pred, (m.get(pred) ?? 0) + 1);
    rowConfusion[which].set(truth, m);
  });
}
function printConfusion(which: keyof typeof rowConfusion): void {
  console.log(`row confusion, ${which} model (held-out rows; truth: predicted counts)`);
  for (const [truth, m] of [...rowConfusion[which]].sort()) {
    const n = [...m.values()].reduce((a, b) => a + b, 0);
    const parts = [...m].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`);
    console.log(`  ${truth.padEnd(16)} ${String(n).padStart(5)}: ${parts.join(', ')}`);
  }
}

// k-fold by page, each set split on its own so every fold holds pages of both.
const fold = new Map<Page, number>();
for (const set of ['publaynet', 'docbank'] as const) pages.filter((p) => p.set === set).forEach((p, i) => fold.set(p, i % folds));
const predicted = new Map<Page, Region[]>();
let clsMs = 0;
for (let k = 0; k < folds; k++) {
  const { model } = trainOn([...pages.filter((p) => fold.get(p) !== k), ...synthImagePages]);
  for (const p of pages.filter((q) => fold.get(q) === k)) {
    const t0 = performance.now();
    const probs = model.probabilities(p.seg.features);
    predicted.set(p, assembleRegions(p.seg, probs, model.classes, p));
    clsMs += performance.now() - t0;
    if (confusion) countRows('image', p, probs, model.classes);
  }
}

// Text-layer model: the same k-fold split of the DocBank PDF pages.
const textFold = new Map<Page, number>(textPages.map((p, i) => [p, i % folds]));
let textClsMs = 0;
for (let k = 0; k < folds; k++) {
  const { model } = trainOn([...textPages.filter((p) => textFold.get(p) !== k), ...synthPages], TEXT_MODEL_FEATURES);
  for (const p of textPages.filter((q) => textFold.get(q) === k)) {
    const t0 = performance.now();
    const probs = model.probabilities(p.seg.features);
    predicted.set(p, assembleRegions(p.seg, probs, model.classes, p));
    textClsMs += performance.now() - t0;
    if (confusion) countRows('text', p, probs, model.classes);
    if (showRows)
      probs.forEach((pr, i) => {
        const pred = model.classes[pr.indexOf(Math.max(...pr))];
        if (p.labels[i] === showRows)
          console.log(
            `ROW ${p.file.slice(0, 24)} b${p.seg.rows[i]!.block} p${p.seg.rows[i]!.paragraph} list=${p.seg.rows[i]!.list} → ${pred}: ${p.seg.rows[i]!.read?.text.slice(0, 80)}`,
          );
      });
  }
}

if (confusion) (printConfusion('image'), printConfusion('text'));

// PubLayNet: COCO AP with the engine mapping, as `npm run eval` scores it.
const pubImages: EvalImage[] = publaynet.images.map((im) => {
  const p = pages.find((q) => q.set === 'publaynet' && q.file === im.file)!;
  return {
    truth: im.regions.map((r) => ({ label: r.label, box: r.bbox })),
    predictions: predicted.get(p)!.flatMap((r) => {
      const label = mapLabel(r.label, PUBLAYNET_MAPPING, ['text', 'title', 'list', 'table', 'figure']);
      return label ? [{ label, box: r.box, score: r.score }] : [];
    }),
  };
});
const pubTable = evaluate(pubImages, ['text', 'title', 'list', 'table', 'figure']);

// DocBank: the token metric of ../shared/tools/docbank_eval.py on a PRED file.
const predFile = path.join(cacheDir, `cv-docbank-pred${cvTag}.json`);
const pubPred = path.join(cacheDir, `cv-publaynet-pred${cvTag}.json`);
fs.writeFileSync(
  predFile,
  JSON.stringify(docbankPredictions(pages.filter((p) => p.set === 'docbank').map((p) => ({ ...p, regions: predicted.get(p)! })))),
);
fs.writeFileSync(
  pubPred,
  JSON.stringify(docbankPredictions(pages.filter((p) => p.set === 'publaynet').map((p) => ({ ...p, regions: predicted.get(p)! })))),
);
const scoreJson = path.join(cacheDir, `cv-docbank-scores${cvTag}.json`);
const tool = path.resolve(samples, '../tools/docbank_eval.py');
const docbankReport = execFileSync('python3', [tool, path.join(samples, 'docbank/tokens.json'), predFile, '--json', scoreJson], {
  encoding: 'utf8',
});
const scores = JSON.parse(fs.readFileSync(scoreJson, 'utf8')) as { macro_f1_area: number; coarse_macro_f1_area: number };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

// PDF text layer vs page image on the same pages (those with a PDF), both cross-validated.
const tokensGt = DocbankTokens.parse(docbank);
const samePages = new Set(textPages.map((p) => p.file));
const predsOf = (set: Page['set']) =>
  docbankPredictions(
    pages
      .concat(textPages)
      .filter((p) => p.set === set && samePages.has(p.file))
      .map((p) => ({ ...p, regions: predicted.get(p)! })),
  );
const textScores = docbankScores(tokensGt, predsOf('docbank-pdf'), samePages);
const imageScores = docbankScores(tokensGt, predsOf('docbank'), samePages);
fs.writeFileSync(path.join(cacheDir, `cv-docbank-pdf-pred${cvTag}.json`), JSON.stringify(predsOf('docbank-pdf')));
console.log(formatDocbankScores(textScores, `DocBank ${samePages.size} PDF pages, text layer, ${folds}-fold CV by page`));
console.log(
  `same ${samePages.size} pages, cross-validated: PDF text layer coarse F1 ${textScores.coarseMacroF1.toFixed(3)}, macro F1 ${textScores.macroF1.toFixed(3)}; page image coarse F1 ${imageScores.coarseMacroF1.toFixed(3)}, macro F1 ${imageScores.macroF1.toFixed(3)}`,
);
const textMs = {
  textLayer: mean(textPages.map((p) => p.textMs!)),
  render: mean(textPages.map((p) => p.renderMs!)),
  layout: mean(textPages.map((p) => p.segMs)),
  classify: textClsMs / Math.max(1, textPages.length),
};
console.log(
  `time per PDF page at ${PDF_DPI} dpi: text layer ${textMs.textLayer.toFixed(1)} ms, render ${textMs.render.toFixed(1)} ms, layout ${textMs.layout.toFixed(1)} ms, classify+assemble ${textMs.classify.toFixed(1)} ms`,
);
const at1100 = pages.filter((p) => p.set === 'docbank');
console.log(formatApTable(pubTable, `PubLayNet ${publaynet.images.length} pages, ${folds}-fold CV by page`));
console.log(docbankReport);
console.log(
  `cross-validated (${folds}-fold by page): DocBank coarse F1 ${scores.coarse_macro_f1_area.toFixed(3)}, 13-label macro F1 ${scores.macro_f1_area.toFixed(3)}; PubLayNet mAP@0.5 ${pubTable.overall.ap50.toFixed(3)}`,
);
console.log(
  `time per 1100-px page: detector ${mean(at1100.map((p) => p.detMs)).toFixed(0)} ms (cached runs report the first run), layout ${mean(at1100.map((p) => p.segMs)).toFixed(1)} ms, classify+assemble ${(clsMs / pages.length).toFixed(1)} ms`,
);
fs.writeFileSync(
  path.join(cacheDir, `cv-summary${cvTag}.json`),
  JSON.stringify(
    {
      config: cvConfigId(args),
      folds,
      docbank: scores,
      publaynet: pubTable,
      pages: pages.length,
      pdf: { pages: samePages.size, text: textScores, image: imageScores, ms: textMs, dpi: PDF_DPI },
    },
    null,
    1,
  ),
);

if (!cvOnly) {
  const { file } = trainOn([...pages, ...synthImagePages]);
  fs.writeFileSync(DEFAULT_MODEL_PATH, JSON.stringify(file));
  console.log(
    `model written to ${path.relative(root, DEFAULT_MODEL_PATH.pathname)} (${(fs.statSync(DEFAULT_MODEL_PATH).size / 1024).toFixed(0)} KiB)`,
  );
  fs.writeFileSync(TEXT_MODEL_PATH, JSON.stringify(trainOn([...textPages, ...synthPages], TEXT_MODEL_FEATURES).file));
  console.log(
    `text-layer model written to ${path.relative(root, TEXT_MODEL_PATH.pathname)} (${(fs.statSync(TEXT_MODEL_PATH).size / 1024).toFixed(0)} KiB)`,
  );
}
