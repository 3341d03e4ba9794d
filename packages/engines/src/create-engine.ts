import { CommonLabel, PP_DOCLAYOUT_LABELS, RocheError, type Config, type JobOptions, type LayoutOverrides } from '@roche/core';
import { ANALYZER_LABELS, AnalyzerEngine, TextBlocksEngine } from '@roche/analyzer';
import {
  type LayoutEngine,
  type ModelAdapter,
  PaddlexHpsEngine,
  OnnxDocLayoutEngine,
  TesseractEngine,
  PpDocLayoutAdapter,
  ResizePool,
  TextDetAdapter,
  TritonClient,
  TritonEngine,
  DEFAULT_BATCH_MAX,
  hpsOverrideFields,
  hpsPipelineOf,
  loadPipelineConfig,
  MODELS,
  type ResolvedModel,
} from '@roche/inference';

export interface EngineOptions {
  intraOpNumThreads?: number;
  /** Needed by the `triton`, `onnx` and `paddlex-hps` engines. */
  config?: Pick<Config, 'inference' | 'pipelineConfigPath'> & Partial<Pick<Config, 'worker'>>;
}

/**
 * What the named engine would refuse in a job's overrides, checked at submit so the caller gets a 400
 * (`validation_failed`) instead of a job that fails later or settings silently ignored. Pure; throws a RocheError.
 *
 * - `paddlex-hps`: only what the configured PaddleX pipeline (`hpsModel`) honours (see
 *   `hpsOverrideFields`); per-class maps are refused, and so are layout options on `object-detection`.
 * - `triton`, `onnx`: everything `LayoutOverrides` admits, with PaddleX's semantics; per-class unclip
 *   ratios and merge modes go beyond PaddleX serving (docs/triton.md).
 * - `embedded`, `analyzer`, `text-blocks`, `tesseract`: no such settings, so any override is refused.
 */
export function checkOverrides(engine: string, overrides: LayoutOverrides | undefined, config?: { hpsModel: string }): void {
  if (!overrides || !Object.keys(overrides).length) return;
  if (!OVERRIDABLE.has(engine))
    throw new RocheError(
      'validation_failed',
      `overrides: the ${engine} engine has no post-processing settings to override (they apply to the triton, onnx and paddlex-hps engines)`,
      { details: { field: 'options.overrides', engine } },
    );
  if (engine !== 'paddlex-hps') return;
  hpsOverrideFields(hpsPipelineOf(config?.hpsModel ?? 'layout-parsing'), overrides);
}

const OVERRIDABLE = new Set(['onnx', 'triton', 'paddlex-hps']);

/**
 * A job's options against the model that will run it, at submit: overrides its engine takes
 * (`checkOverrides`) and crop labels it can produce (its own labels or a common label such as
 * `figure`), so a typo is a 400 rather than a job that silently stores no crops.
 */
export function checkJobOptions(spec: ResolvedModel, options: Pick<JobOptions, 'overrides' | 'crops'>): void {
  checkOverrides(spec.engine, options.overrides, { hpsModel: spec.hpsModel });
  if (!options.crops?.length) return;
  const labels = labelsOf(spec);
  const known = new Set<string>([...labels, ...CommonLabel.options]);
  const unknown = options.crops.filter((l) => !known.has(l));
  if (unknown.length)
    throw new RocheError(
      'validation_failed',
      `crops: model ${spec.name} has no label ${unknown.map((l) => `"${l}"`).join(', ')}; use one of ${CommonLabel.options.filter((l) => l !== 'other').join(', ')} or the model's labels (GET /v1/models)`,
      { details: { field: 'options.crops', unknown, labels: [...labels] } },
    );
}

async function startTriton<P>(client: TritonClient, adapter: ModelAdapter<P>, i: Config['inference']): Promise<LayoutEngine> {
  try {
    return await TritonEngine.create(
      client,
      adapter,
      {
        maxBatch: i.batchMax ?? DEFAULT_BATCH_MAX,
        fitToModel: i.batchMax === undefined,
        maxDelayMs: i.batchDelayMs,
        maxInFlight: i.maxInFlight,
      },
      i.startupWaitMs,
    );
  } catch (e) {
    client.close();
    throw e;
  }
}

/** Engines by name, with the environment's settings and pipeline_config.yaml's layout block (eval, benchmarks). */
export async function createEngine(name: string, opts: EngineOptions = {}): Promise<LayoutEngine> {
  const c = opts.config;
  const layout = PADDLEX.has(name) ? loadPipelineConfig(need(name, c).pipelineConfigPath).SubModules.LayoutDetection : undefined;
  return createModelEngine(
    {
      name,
      engine: name,
      tritonModel: c?.inference.tritonModel ?? '',
      hpsModel: c?.inference.hpsModel ?? '',
      onnxModel: c?.inference.onnxModel,
      layout: layout!,
    },
    opts,
  );
}

const PADDLEX = new Set(['onnx', 'triton']);

function need(name: string, c: EngineOptions['config']) {
  if (!c) throw new Error(`engine "${name}" needs the service configuration`);
  return c;
}

/** The engine of one model. `embedded` (the analyzer) is the default: in-process, no external service. */
export async function createModelEngine(spec: ResolvedModel, opts: EngineOptions = {}): Promise<LayoutEngine> {
  const threads = opts.intraOpNumThreads || undefined;
  switch (spec.engine) {
    case 'embedded':
    case 'analyzer':
      return AnalyzerEngine.create({
        intraOpNumThreads: threads,
        threads: opts.config?.worker?.analysisThreads ?? 0,
        timeoutMs: opts.config?.worker?.analysisTimeoutMs,
      });
    case 'text-blocks':
      return TextBlocksEngine.create({ intraOpNumThreads: threads });
    case 'tesseract':
      if (!(await TesseractEngine.available()))
        throw new Error('engine "tesseract" needs the tesseract binary (apt-get install tesseract-ocr)');
      return new TesseractEngine();
    case 'onnx': {
      const i = need(spec.engine, opts.config).inference;
      if (!spec.onnxModel)
        throw new Error(`model ${spec.name}: engine "onnx" needs onnx_model or ROCHE_ONNX_MODEL (path of a PP-DocLayout ONNX export)`);
      return OnnxDocLayoutEngine.create(spec.onnxModel, spec.layout, {
        intraOpNumThreads: threads,
        interOpNumThreads: i.onnxInterOpThreads || undefined,
      });
    }
    case 'triton': {
      const i = need(spec.engine, opts.config).inference;
      const client = new TritonClient({ url: i.tritonUrl, timeoutMs: i.timeoutMs });
      const wire = spec.tritonWire ?? i.wire;
      if (i.tritonAdapter === 'text-det') return startTriton(client, new TextDetAdapter(spec.tritonModel, 640, wire), i);
      const resizePool = i.preprocessThreads > 0 ? ResizePool.shared(i.preprocessThreads) : undefined;
      return startTriton(client, PpDocLayoutAdapter.forModel(spec.tritonModel, spec.layout, wire, { resizePool }), i);
    }
    case 'paddlex-hps': {
      const i = need(spec.engine, opts.config).inference;
      hpsPipelineOf(spec.hpsModel);
      const client = new TritonClient({ url: i.hpsUrl, timeoutMs: i.hpsTimeoutMs, retryDeadline: false });
      try {
        return await PaddlexHpsEngine.create(client, spec.hpsModel, i.startupWaitMs, { maxInFlight: i.hpsMaxInFlight });
      } catch (e) {
        client.close();
        throw e;
      }
    }
    default:
      throw new Error(`unknown engine "${spec.engine}" (known: embedded = analyzer, text-blocks, tesseract, onnx, triton, paddlex-hps)`);
  }
}

/**
 * The labels a model's regions can carry (`GET /v1/models`), beside the switch that builds its
 * engine so a new engine names its labels where it is added.
 */
export function labelsOf(spec: ResolvedModel): readonly string[] {
  switch (spec.engine) {
    case 'embedded':
    case 'analyzer':
      return ANALYZER_LABELS;
    case 'onnx':
    case 'triton':
    case 'paddlex-hps':
      return MODELS[spec.layout.model_name]?.labels ?? PP_DOCLAYOUT_LABELS;
    default:
      // text-blocks emits `text` only and Tesseract's blocks are mapped onto PP-DocLayout's labels.
      return PP_DOCLAYOUT_LABELS;
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
