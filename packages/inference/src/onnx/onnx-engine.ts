import type { LayoutDetectionConfig, RgbImage } from '@roche/core';
import * as ort from 'onnxruntime-node';
import type { AnalyzeOptions, LayoutEngine, PageLayout } from '../engine.js';
import { MODELS, type ModelSpec } from '../paddlex/models.js';
import { postprocessLayout, splitBatchOutput } from '../paddlex/postprocess.js';
import { applyOverrides } from '../paddlex/pipeline-config.js';
import { normalizeChw, resizeForModel } from '../paddlex/preprocess.js';
import { detectionsToRegions } from '../paddlex/regions.js';

export interface OnnxEngineOptions {
  intraOpNumThreads?: number;
  /** Above 1, ORT runs independent graph branches in parallel (executionMode "parallel"). */
  interOpNumThreads?: number;
}

/**
 * A PP-DocLayout ONNX export (Paddle2ONNX) run in-process with onnxruntime-node on CPU, with
 * PaddleX's pre- and post-processing. No such file ships with Roche; tests run it on a generated
 * ONNX graph with the same inputs and outputs (test/support/onnx-builder.ts).
 */
export class OnnxDocLayoutEngine implements LayoutEngine {
  readonly name = 'onnx';
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: ModelSpec,
    private cfg: LayoutDetectionConfig,
  ) {}

  configure(cfg: LayoutDetectionConfig): void {
    if (MODELS[cfg.model_name] !== this.spec) throw new Error(`this export is ${this.spec.name}; a new model_name needs a new engine`);
    this.cfg = cfg;
  }

  static async create(modelPath: string, cfg: LayoutDetectionConfig, opts: OnnxEngineOptions = {}) {
    const spec = MODELS[cfg.model_name];
    if (!spec) throw new Error(`no PP-DocLayout spec for ${cfg.model_name}`);
    // onnxruntime-node rejects an explicit `undefined`: only set what was asked for.
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      // Inputs are the model's fixed square size; the arena is bounded by the largest batch (see detector.ts).
      enableCpuMemArena: true,
      ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
      ...(opts.interOpNumThreads
        ? {
            interOpNumThreads: opts.interOpNumThreads,
            executionMode: opts.interOpNumThreads > 1 ? ('parallel' as const) : ('sequential' as const),
          }
        : {}),
    });
    const missing = spec.inputs.filter((n) => !session.inputNames.includes(n));
    if (missing.length)
      throw new Error(`${modelPath} lacks inputs ${missing.join(', ')} expected for ${spec.name} (has ${session.inputNames.join(', ')})`);
    if (session.outputNames.length < 2)
      throw new Error(`${modelPath} should output boxes and counts; it has ${session.outputNames.join(', ')}`);
    return new OnnxDocLayoutEngine(session, spec, cfg);
  }

  async analyze(pages: RgbImage[], opts: AnalyzeOptions = {}): Promise<PageLayout[]> {
    const cfg = applyOverrides(this.cfg, opts.overrides);
    const out: PageLayout[] = [];
    for (const page of pages) {
      const p = resizeForModel(page, this.spec);
      const s = this.spec.size;
      const feeds: Record<string, ort.Tensor> = { image: new ort.Tensor('float32', normalizeChw(p.pixels, s, this.spec), [1, 3, s, s]) };
      if (this.spec.inputs.includes('im_shape')) feeds.im_shape = new ort.Tensor('float32', Float32Array.from(p.imShape), [1, 2]);
      feeds.scale_factor = new ort.Tensor('float32', Float32Array.from(p.scaleFactor), [1, 2]);
      const res = await this.session.run(feeds);
      const boxes = res[this.session.outputNames[0]!]!.data as Float32Array;
      const counts = res[this.session.outputNames[1]!]!.data as Int32Array;
      const dets = postprocessLayout(splitBatchOutput(boxes, counts)[0] ?? [], cfg, page, this.spec.labels);
      const regions = detectionsToRegions(dets, this.spec.labels);
      out.push({ width: page.width, height: page.height, regions });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
