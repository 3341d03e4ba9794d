import { RocheError, type Config, type LayoutOverrides } from '@roche/core';
import { AnalyzerEngine, TextBlocksEngine } from '@roche/analyzer';
import {
  type LayoutEngine,
  type ModelAdapter,
  PaddlexHpsEngine,
  OnnxDocLayoutEngine,
  TesseractEngine,
  PpDocLayoutAdapter,
  TextDetAdapter,
  TritonClient,
  TritonEngine,
  hpsOverrideFields,
  hpsPipelineOf,
  loadPipelineConfig,
} from '@roche/inference';

export interface EngineOptions {
  intraOpNumThreads?: number;
  /** Needed by the `triton`, `onnx` and `paddlex-hps` engines. */
  config?: Pick<Config, 'inference' | 'pipelineConfigPath'>;
}

/**
 * What the named engine would refuse in a job's overrides, checked at submit so the caller gets a 400
 * (`validation_failed`) instead of a job that fails later. Pure; throws a RocheError.
 *
 * - `paddlex-hps`: only what the configured PaddleX pipeline (`hpsModel`) honours (see
 *   `hpsOverrideFields`); per-class maps are refused, and so are layout options on `object-detection`.
 * - `triton`, `onnx`: everything `LayoutOverrides` admits, with PaddleX's semantics; per-class unclip
 *   ratios and merge modes go beyond PaddleX serving (docs/triton.md).
 * - `embedded`, `analyzer`, `text-blocks`, `tesseract`: no such settings; overrides are ignored.
 */
export function checkOverrides(engine: string, overrides: LayoutOverrides | undefined, config?: { hpsModel: string }): void {
  if (!overrides || engine !== 'paddlex-hps') return;
  hpsOverrideFields(hpsPipelineOf(config?.hpsModel ?? 'layout-parsing'), overrides);
}

async function startTriton<P>(client: TritonClient, adapter: ModelAdapter<P>, i: Config['inference']): Promise<LayoutEngine> {
  try {
    return await TritonEngine.create(
      client,
      adapter,
      { maxBatch: i.batchMax, maxDelayMs: i.batchDelayMs, maxInFlight: i.maxInFlight },
      i.startupWaitMs,
    );
  } catch (e) {
    client.close();
    throw e;
  }
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
      return OnnxDocLayoutEngine.create(c.inference.onnxModel, pipeline, {
        intraOpNumThreads: threads,
        interOpNumThreads: c.inference.onnxInterOpThreads || undefined,
      });
    }
    case 'triton': {
      const i = need().inference;
      const client = new TritonClient({ url: i.tritonUrl, timeoutMs: i.timeoutMs });
      if (i.tritonAdapter === 'text-det') return startTriton(client, new TextDetAdapter(i.tritonModel, 640, i.wire), i);
      const layout = loadPipelineConfig(need().pipelineConfigPath).SubModules.LayoutDetection;
      return startTriton(client, PpDocLayoutAdapter.forModel(i.tritonModel, layout, i.wire), i);
    }
    case 'paddlex-hps': {
      const i = need().inference;
      hpsPipelineOf(i.hpsModel);
      const client = new TritonClient({ url: i.hpsUrl, timeoutMs: i.hpsTimeoutMs, retryDeadline: false });
      try {
        return await PaddlexHpsEngine.create(client, i.hpsModel, i.startupWaitMs, { maxInFlight: i.hpsMaxInFlight });
      } catch (e) {
        client.close();
        throw e;
      }
    }
    default:
      throw new Error(`unknown engine "${name}" (known: embedded = analyzer, text-blocks, tesseract, onnx, triton, paddlex-hps)`);
  }
}

/**
 * Readiness of the configured engine as seen from a process that does not run it (the API): for
 * the remote engines, whether the server has the model loaded. Null for in-process engines.
 */
export function engineProbe(name: string, config: Pick<Config, 'inference'>): { check(): Promise<void>; close(): void } | null {
  const i = config.inference;
  const remote =
    name === 'triton' ? { url: i.tritonUrl, model: i.tritonModel } : name === 'paddlex-hps' ? { url: i.hpsUrl, model: i.hpsModel } : null;
  if (!remote) return null;
  const client = new TritonClient({ url: remote.url, timeoutMs: 2000, retries: 0 });
  return {
    async check() {
      if (!(await client.modelReady(remote.model)))
        throw new RocheError('inference_unavailable', `model ${remote.model} is not ready at ${remote.url}`, { retryable: true });
    },
    close: () => client.close(),
  };
}
