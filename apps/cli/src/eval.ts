import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeImage } from '@roche/documents';
import {
  createEngine,
  evaluate,
  formatApTable,
  LabelMapping,
  mapLabel,
  PUBLAYNET_MAPPING,
  SimpleAnnotations,
  type ApTable,
  type EvalImage,
} from '@roche/inference';

export interface EvalOptions {
  images: string;
  annotations: string;
  engine?: string;
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
 * annotation's classes (PP-DocLayout → PubLayNet by default, or a JSON mapping file).
 */
export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const gt = SimpleAnnotations.parse(JSON.parse(await fs.readFile(opts.annotations, 'utf8')));
  const mapping = opts.mapping ? LabelMapping.parse(JSON.parse(await fs.readFile(opts.mapping, 'utf8'))) : PUBLAYNET_MAPPING;
  const engine = await createEngine(opts.engine ?? 'embedded');
  const images: EvalImage[] = [];
  const predictions: SimpleAnnotations = { labels: gt.labels, images: [] };
  let ms = 0;
  try {
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
  } finally {
    await engine.close();
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

export async function evalCommand(opts: EvalOptions): Promise<number> {
  const r = await runEval(opts);
  console.log(formatApTable(r.table, `engine ${r.engine}: ${r.pages} pages, ${r.msPerPage.toFixed(0)} ms/page`));
  if (opts.predictions) console.log(`\npredictions written to ${opts.predictions}`);
  return 0;
}
