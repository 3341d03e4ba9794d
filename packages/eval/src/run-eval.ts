import fs from 'node:fs/promises';
import path from 'node:path';
import type { PageTextLayer, RgbImage } from '@roche/core';
import { decodeImage, openDocument } from '@roche/documents';
import type { LayoutEngine } from '@roche/inference';
import { LabelMapping, mapLabel, PUBLAYNET_MAPPING, SimpleAnnotations } from './annotations.js';
import { evaluate, type ApTable, type EvalImage } from './coco-ap.js';
import { docbankPredictions, type DocbankPred } from './docbank.js';
import { DocbankTokens, docbankScores, type DocbankScores } from './docbank-metric.js';

export interface EvalOptions {
  images: string;
  annotations: string;
  predictions?: string;
  mapping?: string;
}

export interface EvalReport {
  engine: string;
  table: ApTable;
  pages: number;
  msPerPage: number;
  predictions: SimpleAnnotations;
}

/**
 * Runs an engine over annotated pages and scores it COCO-style. Predictions are mapped to the
 * annotation's classes (PP-DocLayout → PubLayNet by default, or a JSON mapping file). The caller owns the engine.
 */
export async function runEval(engine: LayoutEngine, opts: EvalOptions): Promise<EvalReport> {
  const gt = SimpleAnnotations.parse(JSON.parse(await fs.readFile(opts.annotations, 'utf8')));
  const mapping = opts.mapping ? LabelMapping.parse(JSON.parse(await fs.readFile(opts.mapping, 'utf8'))) : PUBLAYNET_MAPPING;
  const images: EvalImage[] = [];
  const predictions: SimpleAnnotations = { labels: gt.labels, images: [] };
  let ms = 0;
  {
    for (const im of gt.images) {
      const page = await decodeImage(await fs.readFile(path.join(opts.images, im.file)), { maxPagePixels: 200_000_000 });
      const t0 = performance.now();
      const [layout] = await engine.analyze([page]);
      ms += performance.now() - t0;
      const preds = (layout?.regions ?? []).flatMap((r) => {
        const label = mapLabel(r.label, mapping, gt.labels);
        return label ? [{ label, box: r.box, score: r.score }] : [];
      });
      images.push({ truth: im.regions.map((r) => ({ label: r.label, box: r.bbox })), predictions: preds });
      predictions.images.push({
        file: im.file,
        width: im.width,
        height: im.height,
        regions: preds.map((p) => ({ label: p.label, bbox: [...p.box] as [number, number, number, number], score: p.score })),
      });
    }
  }
  if (opts.predictions) await fs.writeFile(opts.predictions, JSON.stringify(predictions, null, 1));
  return {
    engine: engine.name,
    table: evaluate(images, gt.labels),
    pages: gt.images.length,
    msPerPage: ms / Math.max(1, gt.images.length),
    predictions,
  };
}

export interface DocbankEvalOptions {
  /** DocBank `tokens.json`. */
  tokens: string;
  /** Folder of the page images named in `tokens.json`. */
  images?: string;
  /** Or a folder of one-page PDFs named like the images (`X.jpg` → `X.pdf`): their text layers are used where the engine can. */
  pdfs?: string;
  /** PDF rasterization resolution. */
  dpi?: number;
  predictions?: string;
}

export interface DocbankEvalReport {
  engine: string;
  scores: DocbankScores;
  pages: number;
  /** Pages whose PDF had a usable text layer. */
  textLayerPages: number;
  /** Mean per page: the engine, and for PDFs reading the text layer and rendering. */
  msPerPage: { analyze: number; textLayer: number; render: number };
  predictions: DocbankPred;
}

/**
 * Runs an engine over DocBank pages, from the page images or from the pages' PDFs, and scores it
 * with the DocBank token metric. Pages without a file in the folder are left out of the ground
 * truth (DocBank's PDF folder lacks some pages), so image and PDF runs can be compared on the same pages.
 */
export async function runDocbankEval(engine: LayoutEngine, opts: DocbankEvalOptions): Promise<DocbankEvalReport> {
  const gt = DocbankTokens.parse(JSON.parse(await fs.readFile(opts.tokens, 'utf8')));
  const dir = opts.pdfs ?? opts.images;
  if (!dir) throw new Error('runDocbankEval needs images or pdfs');
  const present = new Set(await fs.readdir(dir));
  const pred: DocbankPred = { images: [] };
  const ms = { analyze: 0, textLayer: 0, render: 0 };
  let textLayerPages = 0;
  const only = new Set<string>();
  for (const im of gt.images) {
    const file = opts.pdfs ? im.file.replace(/\.[^.]+$/, '.pdf') : im.file;
    if (!present.has(file)) continue;
    only.add(im.file);
    const bytes = await fs.readFile(path.join(dir, file));
    let page: RgbImage;
    let layer: PageTextLayer | null = null;
    if (opts.pdfs) {
      const doc = await openDocument(bytes, 'pdf', { maxPages: 1, maxPagePixels: 200_000_000, dpi: opts.dpi ?? 144 });
      try {
        let t0 = performance.now();
        layer = (await doc.textLayer?.(0)) ?? null;
        ms.textLayer += performance.now() - t0;
        t0 = performance.now();
        page = await doc.renderPage(0);
        ms.render += performance.now() - t0;
      } finally {
        doc.close();
      }
      if (layer) textLayerPages++;
    } else page = await decodeImage(bytes, { maxPagePixels: 200_000_000 });
    const t0 = performance.now();
    const [layout] = await engine.analyze([page], { textLayers: [layer] });
    ms.analyze += performance.now() - t0;
    pred.images.push(
      ...docbankPredictions([{ file: im.file, width: page.width, height: page.height, regions: layout?.regions ?? [] }]).images,
    );
  }
  if (opts.predictions) await fs.writeFile(opts.predictions, JSON.stringify(pred, null, 1));
  const n = Math.max(1, only.size);
  return {
    engine: engine.name,
    scores: docbankScores(gt, pred, only),
    pages: only.size,
    textLayerPages,
    msPerPage: { analyze: ms.analyze / n, textLayer: ms.textLayer / n, render: ms.render / n },
    predictions: pred,
  };
}
