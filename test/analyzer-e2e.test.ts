import fs from 'node:fs';
import path from 'node:path';
import { decodeImage } from '@roche/documents';
import { AnalyzerEngine } from '@roche/analyzer';
import { TesseractEngine } from '@roche/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@roche/engines';
import { runEval as runEvalWith, type EvalOptions } from '@roche/eval';
import { FIXTURE_PAGE, SHARED_SAMPLES } from './support/service.js';

async function runEval(opts: EvalOptions & { engine?: string }) {
  const engine = await createEngine(opts.engine ?? 'embedded');
  try {
    return await runEvalWith(engine, opts);
  } finally {
    await engine.close();
  }
}

const PUBLAYNET = path.join(SHARED_SAMPLES, 'publaynet');
const havePublaynet = fs.existsSync(path.join(PUBLAYNET, 'annotations_simple.json'));
const haveTesseract = await TesseractEngine.available();

describe('embedded analyzer on the shipped fixture (IRS W-9, page 2)', () => {
  let engine: AnalyzerEngine;
  beforeAll(async () => {
    engine = await AnalyzerEngine.create({ intraOpNumThreads: 1 });
  });
  afterAll(async () => engine?.close());

  it('finds the section headings as paragraph titles, the running header, and reads column by column', async () => {
    const page = await decodeImage(fs.readFileSync(FIXTURE_PAGE), { maxPagePixels: 1e8 });
    const [layout] = await engine.analyze([page]);
    const regions = layout!.regions;
    // The four headings of the right column, at these heights on the 850×1100 page (read off the image).
    const headingRows = [284, 703, 807, 938];
    const titles = regions.filter((r) => r.label === 'paragraph_title');
    for (const y of headingRows) {
      expect(
        titles.some((t) => t.box[0] > 425 && t.box[1] <= y && t.box[3] >= y),
        `heading at y=${y}`,
      ).toBe(true);
    }
    expect(regions.filter((r) => r.box[3] < 70).every((r) => ['header', 'number'].includes(r.label))).toBe(true);
    const body = regions.filter((r) => r.box[1] > 70).sort((a, b) => a.order - b.order);
    const firstRight = body.findIndex((r) => r.box[0] > 425);
    expect(body.slice(firstRight).every((r) => r.box[0] > 425)).toBe(true);
    expect(regions.filter((r) => r.label === 'text').length).toBeGreaterThan(10);
  });
});

describe.skipIf(!havePublaynet)('PubLayNet sample pages (skipped when ../shared/samples is absent)', () => {
  it('scores at least the measured AP@0.5 minus a margin, on every class the pages have', async () => {
    const r = await runEval({ images: PUBLAYNET, annotations: path.join(PUBLAYNET, 'annotations_simple.json') });
    // Measured 2026-11-24: overall 60.1, text 82.6, title 50.8, table 100, figure 41.4, list 25.7.
    expect(r.table.overall.ap50).toBeGreaterThan(0.5);
    expect(r.table.perClass.text!.ap50!).toBeGreaterThan(0.7);
    expect(r.table.perClass.title!.ap50!).toBeGreaterThan(0.35);
    expect(r.table.perClass.figure!.ap50!).toBeGreaterThan(0.3);
    expect(r.predictions.images).toHaveLength(12);
    expect(
      r.predictions.images.flatMap((i) => i.regions).every((x) => typeof x.score === 'number' && r.predictions.labels.includes(x.label)),
    ).toBe(true);
  }, 120_000);

  it.skipIf(!haveTesseract)(
    'beats Tesseract (skipped when tesseract is not installed) page layout analysis on AP@0.5 overall',
    async () => {
      const ann = path.join(PUBLAYNET, 'annotations_simple.json');
      const [ours, tess] = [
        await runEval({ images: PUBLAYNET, annotations: ann }),
        await runEval({ images: PUBLAYNET, annotations: ann, engine: 'tesseract' }),
      ];
      expect(ours.table.overall.ap50).toBeGreaterThan(tess.table.overall.ap50);
      expect(ours.table.perClass.text!.ap50!).toBeGreaterThan(tess.table.perClass.text!.ap50!);
    },
    120_000,
  );
});
