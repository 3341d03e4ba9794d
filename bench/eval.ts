/**
 * Issue 12 figures: the embedded analyzer's quality on pages its row classifier was not trained
 * on (5-fold cross-validation by page over the PubLayNet and DocBank samples, via
 * `npm run train:analyzer -- --cv-only`), beside Tesseract 5's page layout analysis (untrained, so
 * scored on all pages), plus ms/page of each engine on the 1100-px DocBank page images.
 *
 *   npm run bench:eval
 *   npm run bench:eval -- --reuse-cv   # timings only: takes the CV figures of the last training or `--cv-only`
 *                                      # run (refused unless it ran this tree's code with default options)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeImage } from '@roche/documents';
import { TesseractEngine } from '@roche/inference';
import { createEngine } from '@roche/engines';
import { docbankPredictions, formatApTable, runDocbankEval, runEval, type ApTable, type DocbankScores as TsScores } from '@roche/eval';
import { cvConfigId } from '../scripts/cv-config.js';
import { writeBenchSection } from './report.js';

const root = path.resolve(import.meta.dirname, '..');
const samples = process.env.ROCHE_SHARED_SAMPLES ?? path.resolve(root, '../shared/samples');
const pubDir = path.join(samples, 'publaynet');
const dbDir = path.join(samples, 'docbank');
const tool = path.resolve(samples, '../tools/docbank_eval.py');
if (![path.join(pubDir, 'annotations_simple.json'), path.join(dbDir, 'tokens.json'), tool].every((f) => fs.existsSync(f))) {
  console.error(`the PubLayNet and DocBank samples and ${tool} are needed for this benchmark`);
  process.exit(2);
}
const cache = path.join(root, '.cache/analyzer-train');
fs.mkdirSync(cache, { recursive: true });

interface DocbankScores {
  macro_f1_area: number;
  coarse_macro_f1_area: number;
  per_label_area: Record<string, { f1: number }>;
}
const scoreDocbank = (pred: string, out: string): DocbankScores => {
  execFileSync('python3', [tool, path.join(dbDir, 'tokens.json'), pred, '--json', out], { stdio: 'pipe' });
  return JSON.parse(fs.readFileSync(out, 'utf8')) as DocbankScores;
};

// Analyzer: cross-validated quality (the training script trains one model per fold).
const summary = path.join(cache, 'cv-summary.json');
const reuseCv = process.argv.includes('--reuse-cv');
if (reuseCv) {
  // The figures must be those of this tree's code and default options (not an experiment's).
  const config = fs.existsSync(summary) ? (JSON.parse(fs.readFileSync(summary, 'utf8')) as { config?: string }).config : undefined;
  if (config !== cvConfigId([])) {
    console.error(`--reuse-cv: ${summary} is missing or was computed from other code or options; run without --reuse-cv`);
    process.exit(2);
  }
} else {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/train-analyzer.ts', '--cv-only'], {
    cwd: root,
    env: { ...process.env, ROCHE_SHARED_SAMPLES: samples },
    stdio: 'inherit',
  });
}
const cv = JSON.parse(fs.readFileSync(summary, 'utf8')) as {
  folds: number;
  docbank: DocbankScores;
  publaynet: ApTable;
  pdf: { pages: number; dpi: number; text: TsScores; image: TsScores; ms: Record<string, number> };
};

/** ms/page of an engine on the DocBank page images (1100 px high), and its DocBank token scores. */
async function onDocbank(name: string): Promise<{ ms: number; scores: DocbankScores }> {
  const tokens = JSON.parse(fs.readFileSync(path.join(dbDir, 'tokens.json'), 'utf8')) as { images: Array<{ file: string }> };
  const engine = await createEngine(name);
  const pages = [];
  let ms = 0;
  try {
    for (const im of tokens.images) {
      const page = await decodeImage(fs.readFileSync(path.join(dbDir, im.file)), { maxPagePixels: 1e8 });
      const t0 = performance.now();
      const [layout] = await engine.analyze([page]);
      ms += performance.now() - t0;
      pages.push({ file: im.file, width: page.width, height: page.height, regions: layout!.regions });
    }
  } finally {
    await engine.close();
  }
  const pred = path.join(cache, `bench-${name}-docbank-pred.json`);
  fs.writeFileSync(pred, JSON.stringify(docbankPredictions(pages)));
  return { ms: ms / pages.length, scores: scoreDocbank(pred, path.join(cache, `bench-${name}-docbank-scores.json`)) };
}

const pct = (v: number | undefined) => (v === undefined ? '–' : (100 * v).toFixed(1));
const embedded = await onDocbank('embedded');

// The shipped engine over the DocBank PDFs, as a worker runs a PDF page: read the text layer, render, analyze.
// Only its timing is reported (its model saw these pages; the quality figures are the CV ones).
const pdfRun = await (async () => {
  const engine = await createEngine('embedded');
  try {
    return await runDocbankEval(engine, { tokens: path.join(dbDir, 'tokens.json'), pdfs: path.join(dbDir, 'pdf'), dpi: cv.pdf.dpi });
  } finally {
    await engine.close();
  }
})();
const pdfMs = pdfRun.msPerPage;
const rows = [
  `| embedded analyzer (${cv.folds}-fold CV by page) | ${pct(cv.docbank.coarse_macro_f1_area)} | ${pct(cv.docbank.macro_f1_area)} | ${pct(cv.publaynet.overall.ap50)} | ${embedded.ms.toFixed(0)} |`,
];
const parts: string[] = [];
if (await TesseractEngine.available()) {
  const tess = await onDocbank('tesseract');
  const engine = await createEngine('tesseract');
  const pub = await runEval(engine, { images: pubDir, annotations: path.join(pubDir, 'annotations_simple.json') }).finally(() =>
    engine.close(),
  );
  rows.push(
    `| Tesseract 5 \`--psm 3\` (untrained, all pages) | ${pct(tess.scores.coarse_macro_f1_area)} | ${pct(tess.scores.macro_f1_area)} | ${pct(pub.table.overall.ap50)} | ${tess.ms.toFixed(0)} |`,
  );
  parts.push(formatApTable(pub.table, '**Tesseract on PubLayNet (12 pages)**'), '');
} else rows.push('| Tesseract | not installed on this run (`apt-get install tesseract-ocr`) | | | |');

const perLabel = Object.entries(cv.docbank.per_label_area)
  .map(([l, v]) => `${l} ${pct(v.f1)}`)
  .join(', ');
const imageOnPdfPages = `${embedded.ms.toFixed(0)} (detector + layout)`;
const pdfSection = [
  '### DocBank: PDF text layer vs page image (same pages, cross-validated)',
  '',
  `The ${cv.pdf.pages} DocBank pages that have a PDF (\`../shared/samples/docbank/pdf\`), scored with the DocBank token metric (TS port of`,
  '`docbank_eval.py` in `@roche/eval`). Both rows are 5-fold CV by page: the image row uses the image model trained on the image folds,',
  `the PDF row the text-layer model (geometry + font + text features) trained on the PDF folds; PDFs read at ${cv.pdf.dpi} dpi.`,
  '',
  '| path | coarse 5-class area F1 | 13-label macro area F1 | ms/page |',
  '|---|---:|---:|---:|',
  `| PDF text layer (PDFium text API) | ${pct(cv.pdf.text.coarseMacroF1)} | ${pct(cv.pdf.text.macroF1)} | ${(pdfMs.textLayer + pdfMs.analyze).toFixed(0)} (text layer ${pdfMs.textLayer.toFixed(0)} + analyze ${pdfMs.analyze.toFixed(0)}; render ${pdfMs.render.toFixed(0)} more) |`,
  `| page image (PP-OCRv4 detector) | ${pct(cv.pdf.image.coarseMacroF1)} | ${pct(cv.pdf.image.macroF1)} | ${imageOnPdfPages} |`,
  '',
  `PDF path per label (CV, area F1): ${Object.entries(cv.pdf.text.perLabel)
    .map(([l, v]) => `${l} ${pct(v.f1)}`)
    .join(', ')}.`,
  `Image path on the same pages: ${Object.entries(cv.pdf.image.perLabel)
    .map(([l, v]) => `${l} ${pct(v.f1)}`)
    .join(', ')}.`,
  '',
  `PDF ms/page: \`analyze()\` with the page's text layer (segmentation on the rendered page, features, forest) plus reading the text layer,`,
  `mean over ${pdfRun.pages} pages (${pdfRun.textLayerPages} with a text layer) with the shipped models; rendering (needed for overlays and the figure/table ink anyway) is listed apart.`,
  'Image ms/page: the full page-image path on the 1100-px JPGs. Reproduce: `npm run train:analyzer -- --cv-only` (quality),',
  '`npm run eval -- --tokens ../shared/samples/docbank/tokens.json --pdfs ../shared/samples/docbank/pdf` (shipped model, timing).',
  '',
];
const body = [
  '## Layout quality: embedded analyzer vs Tesseract (issue 12)',
  '',
  `\`npm run bench:eval\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}. Samples: 12 PubLayNet pages, 50 DocBank arXiv pages`,
  "(`../shared/samples`). The analyzer's row classifier is trained from these pages, so its figures are **cross-validated**: pages are",
  'split into 5 folds per set, a model is trained on 4 folds (plus synthetic pages, `scripts/synthetic-pages.ts`) and scores the 5th, and the scores are taken over all held-out predictions',
  '(`npm run train:analyzer -- --cv-only`). DocBank: `../shared/tools/docbank_eval.py` token metric (area-weighted F1; coarse = 5 classes,',
  'equations left out). PubLayNet: COCO AP@0.5, PP-DocLayout labels mapped to the 5 classes. ms/page: `analyze()` on a decoded',
  '1100-px DocBank page image (analyzer: PP-OCRv4 detector + layout; Tesseract: PNG encode + process spawn, one OMP thread).',
  '',
  '| engine | DocBank coarse F1 | DocBank 13-label macro F1 | PubLayNet mAP@0.5 | ms/page (1100 px) |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
  `Analyzer per DocBank label (CV, area F1): ${perLabel}.`,
  '',
  formatApTable(cv.publaynet, `**Analyzer on PubLayNet, ${cv.folds}-fold CV by page**`),
  '',
  ...parts,
  ...pdfSection,
];
console.log(body.join('\n'));
await writeBenchSection('eval', body.join('\n'));
