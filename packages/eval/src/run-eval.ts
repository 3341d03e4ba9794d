import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeImage } from '@roche/documents';
import type { LayoutEngine } from '@roche/inference';
import { LabelMapping, mapLabel, PUBLAYNET_MAPPING, SimpleAnnotations } from './annotations.js';
import { evaluate, type ApTable, type EvalImage } from './coco-ap.js';

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
