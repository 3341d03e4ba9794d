import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@roche/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDocLayoutOnnx } from '../../../test/support/onnx-builder.js';
import { createEngine } from '../src/create-engine.js';
import type { LayoutEngine } from '@roche/inference';

/**
 * The `onnx` engine end to end on a real onnxruntime session. No PP-DocLayout export ships here,
 * so the model is a generated ONNX graph with PP-DocLayout's inputs and outputs whose detections
 * are constants: what is tested is Roche's side (feeds, output split, PaddleX post-processing,
 * labels, overrides), not the detector.
 */
describe('onnx engine with a PP-DocLayout-shaped model', () => {
  let dir: string;
  let engine: LayoutEngine;
  const page = { data: Buffer.alloc(200 * 100 * 3, 255), width: 200, height: 100 };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-onnx-'));
    // class 2 = text (0.9), class 0 = paragraph_title (0.3), class 8 = table (0.8) containing the text box.
    fs.writeFileSync(
      path.join(dir, 'model.onnx'),
      fakeDocLayoutOnnx(640, [
        [2, 0.9, 10, 10, 100, 50],
        [0, 0.3, 5, 60, 40, 70],
        [8, 0.8, 0, 0, 150, 90],
      ]),
    );
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../../pipeline_config.yaml'), path.join(dir, 'pipeline_config.yaml'));
    const config = loadConfig({
      ROCHE_ONNX_MODEL: path.join(dir, 'model.onnx'),
      ROCHE_PIPELINE_CONFIG: path.join(dir, 'pipeline_config.yaml'),
    });
    engine = await createEngine('onnx', { config, intraOpNumThreads: 1 });
  });
  afterAll(async () => {
    await engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the pipeline config: threshold 0.5 and merge mode "large" keep only the table', async () => {
    const [r] = await engine.analyze([page]);
    expect(r!.regions.map((x) => [x.label, x.box])).toEqual([['table', [0, 0, 150, 90]]]);
  });

  it('applies per-request overrides on top', async () => {
    const [r] = await engine.analyze([page], {
      overrides: { layoutThreshold: 0.2, layoutMergeBboxesMode: 'union', layoutUnclipRatio: [2, 1] },
    });
    const byLabel = Object.fromEntries(r!.regions.map((x) => [x.label, x.box]));
    expect(Object.keys(byLabel).sort()).toEqual(['paragraph_title', 'table', 'text']);
    // text box 10..100 × 10..50 doubled in width about x = 55 → -35..145, clipped to 0..145.
    expect(byLabel.text).toEqual([0, 10, 145, 50]);
  });

  it('takes intra- and inter-op thread counts from the configuration and finds the same regions', async () => {
    const config = loadConfig({
      ROCHE_ONNX_MODEL: path.join(dir, 'model.onnx'),
      ROCHE_PIPELINE_CONFIG: path.join(dir, 'pipeline_config.yaml'),
      ROCHE_ONNX_INTER_OP_THREADS: '2',
    });
    expect(config.inference.onnxInterOpThreads).toBe(2);
    const parallel = await createEngine('onnx', { config, intraOpNumThreads: 1 });
    try {
      expect(await parallel.analyze([page])).toEqual(await engine.analyze([page]));
    } finally {
      await parallel.close();
    }
  });
});
