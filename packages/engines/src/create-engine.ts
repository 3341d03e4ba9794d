import { applyOverrides, LayoutOverrides, loadPipelineConfig, RocheError, type Config, type LayoutDetectionConfig } from '@roche/core';
import { AnalyzerEngine, TextBlocksEngine } from '@roche/analyzer';
import {
  type LayoutEngine,
  PaddlexHpsEngine,
  OnnxDocLayoutEngine,
  TesseractEngine,
  PpDocLayoutAdapter,
  ResizePool,
  TextDetAdapter,
  TritonClient,
  TritonEngine,
} from '@roche/inference';

export interface EngineOptions {
  intraOpNumThreads?: number;
  /** Needed by the `triton`, `onnx` and `paddlex-hps` engines. */
  config?: Pick<Config, 'inference' | 'pipelineConfigPath'>;
}

/** Validates request overrides (PaddleX names) and applies them over the pipeline configuration. */
export function overridesApplier(c: LayoutDetectionConfig, o?: Record<string, unknown>): LayoutDetectionConfig {
  if (!o || !Object.keys(o).length) return c;
  const parsed = LayoutOverrides.safeParse(o);
  if (!parsed.success)
    throw new RocheError(
      'validation_failed',
      `invalid overrides: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return applyOverrides(c, parsed.data);
}

/** Engines by name. `embedded` (the analyzer) is the default: in-process, no external service. */
export async function createEngine(name: string, opts: EngineOptions = {}): Promise<LayoutEngine> {
  const threads = opts.intraOpNumThreads || undefined;
  const need = () => {
    if (!opts.config) throw new Error(`engine "${name}" needs the service configuration`);
    return opts.config;
  };
  switch (name) {
    case 'embedded':
    case 'analyzer':
      return AnalyzerEngine.create({ intraOpNumThreads: threads });
    case 'text-blocks':
      return TextBlocksEngine.create({ intraOpNumThreads: threads });
    case 'tesseract':
      if (!(await TesseractEngine.available()))
        throw new Error('engine "tesseract" needs the tesseract binary (apt-get install tesseract-ocr)');
      return new TesseractEngine();
    case 'onnx': {
      const c = need();
      if (!c.inference.onnxModel) throw new Error('engine "onnx" needs ROCHE_ONNX_MODEL (path of a PP-DocLayout ONNX export)');
      const pipeline = loadPipelineConfig(c.pipelineConfigPath).SubModules.LayoutDetection;
      return OnnxDocLayoutEngine.create(
        c.inference.onnxModel,
        pipeline,
        { intraOpNumThreads: threads, interOpNumThreads: c.inference.onnxInterOpThreads || undefined },
        overridesApplier,
      );
    }
    case 'triton': {
      const i = need().inference;
      const client = new TritonClient({ url: i.tritonUrl, timeoutMs: i.timeoutMs });
      const adapter =
        i.tritonAdapter === 'text-det'
          ? new TextDetAdapter(i.tritonModel, 640, i.wire)
          : PpDocLayoutAdapter.forModel(
              i.tritonModel,
              loadPipelineConfig(need().pipelineConfigPath).SubModules.LayoutDetection,
              i.wire,
              overridesApplier,
              { resizePool: i.preprocessThreads > 0 ? ResizePool.shared(i.preprocessThreads) : undefined },
            );
      try {
        return await TritonEngine.create<unknown>(
          client,
          adapter as never,
          { maxBatch: i.batchMax, maxDelayMs: i.batchDelayMs, maxInFlight: i.maxInFlight },
          i.startupWaitMs,
        );
      } catch (e) {
        client.close();
        throw e;
      }
    }
    case 'paddlex-hps': {
      const i = need().inference;
      const client = new TritonClient({ url: i.hpsUrl, timeoutMs: i.timeoutMs });
      try {
        return await PaddlexHpsEngine.create(client, i.hpsModel, i.startupWaitMs);
      } catch (e) {
        client.close();
        throw e;
      }
    }
    default:
      throw new Error(`unknown engine "${name}" (known: embedded = analyzer, text-blocks, tesseract, onnx, triton, paddlex-hps)`);
  }
}
