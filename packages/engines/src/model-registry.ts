import fs from 'node:fs';
import { RocheError, type Config, type LayoutDetectionConfig } from '@roche/core';
import { configVersion, parsePipelineConfig, resolveModels, TritonClient, type LayoutEngine, type ResolvedModel } from '@roche/inference';
import { logger } from '@roche/telemetry';
import { createModelEngine, labelsOf, type EngineOptions } from './create-engine.js';

/** What `GET /v1/models` says of a model. */
export interface ModelInfo {
  name: string;
  engine: string;
  default: boolean;
  description?: string;
  /** Labels its regions can carry. */
  labels: readonly string[];
  /** PaddleX layout settings (threshold, NMS, unclip, merge mode) for engines that have them. */
  settings?: LayoutDetectionConfig;
  /** The name of the model on the inference server (triton, paddlex-hps). */
  serverModel?: string;
}

const PADDLEX_ENGINES = new Set(['triton', 'onnx', 'paddlex-hps']);
const REMOTE = new Set(['triton', 'paddlex-hps']);

/** Whether a change of `next` can be applied to a running engine of `prev` (new settings only) or needs a new engine. */
const sameEngine = (prev: ResolvedModel, next: ResolvedModel) =>
  prev.engine === next.engine &&
  prev.tritonModel === next.tritonModel &&
  prev.tritonWire === next.tritonWire &&
  prev.hpsModel === next.hpsModel &&
  prev.onnxModel === next.onnxModel &&
  prev.layout.model_name === next.layout.model_name;

/**
 * The deployment's models (pipeline_config.yaml `Models`, or the single `ROCHE_ENGINE` model), each
 * with its own engine and so its own micro-batcher. Workers open it with engines; the API opens it
 * without, to list models and check `options.model`. `watch()` applies a changed file without a
 * restart: new thresholds go to the running engines, a new server model name gets a new engine,
 * and a bad file is refused with the reason logged while the last good one stays in force.
 */
export class ModelRegistry {
  private specs: ResolvedModel[] = [];
  private readonly engines = new Map<string, LayoutEngine>();
  private text = '';
  private watching = false;
  private probes = new Map<string, TritonClient>();
  /** Version of the file in force (`configVersion`), recorded in every page result. */
  version = '';

  private constructor(
    private readonly config: Pick<Config, 'engine' | 'inference' | 'pipelineConfigPath'>,
    private readonly opts: EngineOptions & { withEngines: boolean },
  ) {}

  static async open(
    config: Pick<Config, 'engine' | 'inference' | 'pipelineConfigPath'>,
    opts: EngineOptions & { withEngines: boolean },
  ): Promise<ModelRegistry> {
    const r = new ModelRegistry(config, opts);
    try {
      await r.apply(r.read());
    } catch (e) {
      await r.close();
      throw e;
    }
    return r;
  }

  /** The file's text; a missing file is fine for the embedded default (nothing to configure). */
  private read(): string {
    try {
      return fs.readFileSync(this.config.pipelineConfigPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !PADDLEX_ENGINES.has(this.config.engine)) return '';
      throw e;
    }
  }

  private resolve(text: string): ResolvedModel[] {
    const env = {
      engine: this.config.engine,
      tritonModel: this.config.inference.tritonModel,
      hpsModel: this.config.inference.hpsModel,
      onnxModel: this.config.inference.onnxModel,
    };
    if (!text) {
      return [{ name: env.engine, engine: env.engine, tritonModel: env.tritonModel, hpsModel: env.hpsModel, layout: DEFAULT_LAYOUT }];
    }
    return resolveModels(parsePipelineConfig(text, this.config.pipelineConfigPath), env);
  }

  private async apply(text: string): Promise<void> {
    const next = this.resolve(text);
    const retired: LayoutEngine[] = [];
    if (this.opts.withEngines) {
      const fresh = new Map<string, LayoutEngine>();
      try {
        for (const spec of next) {
          const prev = this.specs.find((s) => s.name === spec.name);
          const running = this.engines.get(spec.name);
          if (prev && running && sameEngine(prev, spec)) {
            running.configure?.(spec.layout);
            continue;
          }
          fresh.set(spec.name, await createModelEngine(spec, { ...this.opts, config: this.config }));
        }
      } catch (e) {
        await Promise.all([...fresh.values()].map((x) => x.close()));
        throw e;
      }
      for (const [name, engine] of fresh) {
        const old = this.engines.get(name);
        if (old) retired.push(old);
        this.engines.set(name, engine);
      }
      for (const name of [...this.engines.keys()]) {
        if (!next.some((s) => s.name === name)) {
          retired.push(this.engines.get(name)!);
          this.engines.delete(name);
        }
      }
    }
    this.specs = next;
    this.text = text;
    this.version = configVersion(text);
    // Pages already inside an engine being replaced finish on it; close it once they had time to.
    if (retired.length) setTimeout(() => void Promise.all(retired.map((e) => e.close().catch(() => {}))), 60_000).unref();
  }

  /** Rereads the file; returns whether it changed. A bad file throws and changes nothing. */
  async reload(): Promise<boolean> {
    const text = this.read();
    if (text === this.text) return false;
    await this.apply(text);
    return true;
  }

  /** Polls the file (a Kubernetes ConfigMap update swaps a symlink, which file events can miss). */
  watch(intervalMs = 2000): void {
    if (this.watching) return;
    this.watching = true;
    fs.watchFile(this.config.pipelineConfigPath, { interval: intervalMs, persistent: false }, () => {
      this.reload().then(
        (changed) => changed && logger.info({ version: this.version, models: this.names() }, 'pipeline config reloaded'),
        (e: Error) => logger.error({ err: e.message, version: this.version }, 'pipeline config refused; the last good one stays in force'),
      );
    });
  }

  names(): string[] {
    return this.specs.map((s) => s.name);
  }

  get defaultModel(): string {
    return this.specs[0]!.name;
  }

  /** The model a job asked for (or the default), refusing unknown names with the list of known ones. */
  model(name?: string): ResolvedModel {
    const spec = name === undefined ? this.specs[0] : this.specs.find((s) => s.name === name);
    if (!spec) {
      throw new RocheError('validation_failed', `unknown model "${name}"; this deployment has: ${this.names().join(', ')}`, {
        details: { model: name, available: this.names() },
      });
    }
    return spec;
  }

  /** The engine of a model (workers only). */
  engine(name?: string): LayoutEngine {
    const spec = this.model(name);
    const e = this.engines.get(spec.name);
    if (!e) throw new Error(`model ${spec.name} has no engine in this process`);
    return e;
  }

  list(): ModelInfo[] {
    return this.specs.map((s, i) => {
      const paddlex = PADDLEX_ENGINES.has(s.engine);
      return {
        name: s.name,
        engine: s.engine,
        default: i === 0,
        ...(s.description ? { description: s.description } : {}),
        labels: labelsOf(s),
        ...(paddlex ? { settings: s.layout } : {}),
        ...(s.engine === 'triton' ? { serverModel: s.tritonModel } : s.engine === 'paddlex-hps' ? { serverModel: s.hpsModel } : {}),
      };
    });
  }

  /** Ready when every model can serve: its engine here, or (API processes) its model loaded on the server. */
  async ready(): Promise<void> {
    for (const s of this.specs) {
      const engine = this.engines.get(s.name);
      if (engine) {
        await engine.ready?.();
        continue;
      }
      if (!REMOTE.has(s.engine)) continue;
      const url = s.engine === 'triton' ? this.config.inference.tritonUrl : this.config.inference.hpsUrl;
      const serverModel = s.engine === 'triton' ? s.tritonModel : s.hpsModel;
      let client = this.probes.get(url);
      if (!client) this.probes.set(url, (client = new TritonClient({ url, timeoutMs: 2000, retries: 0 })));
      if (!(await client.modelReady(serverModel)))
        throw new RocheError('inference_unavailable', `model ${s.name} (${serverModel}) is not ready at ${url}`, { retryable: true });
    }
  }

  async close(): Promise<void> {
    if (this.watching) fs.unwatchFile(this.config.pipelineConfigPath);
    this.watching = false;
    for (const c of this.probes.values()) c.close();
    this.probes.clear();
    await Promise.all([...this.engines.values()].map((e) => e.close()));
    this.engines.clear();
  }
}

/** Layout settings when there is no pipeline_config.yaml at all (only engines without them run then). */
const DEFAULT_LAYOUT: LayoutDetectionConfig = {
  module_name: 'layout_detection',
  model_name: 'PP-DocLayout-L',
  batch_size: 1,
  threshold: 0.5,
  layout_nms: true,
  layout_unclip_ratio: 1.0,
  layout_merge_bboxes_mode: 'large',
};
