import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PipelineConfig, type LayoutDetectionConfig, type LayoutOverrides, type TritonWire } from '@roche/core';
import { parse } from 'yaml';

export class PipelineConfigError extends Error {
  override name = 'PipelineConfigError';
}

/** Parses pipeline_config.yaml text; a wrong file fails naming each bad key. */
export function parsePipelineConfig(text: string, source = 'pipeline_config.yaml'): PipelineConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new PipelineConfigError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  const r = PipelineConfig.safeParse(raw);
  if (!r.success)
    throw new PipelineConfigError(`${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function loadPipelineConfig(path: string): PipelineConfig {
  return parsePipelineConfig(fs.readFileSync(path, 'utf8'), path);
}

/**
 * Request overrides over the file, with PaddleX's semantics (`DetPredictor.process`: `threshold if
 * not None else self.threshold`, `layout_nms or self.layout_nms`, `layout_unclip_ratio or ...`,
 * `layout_merge_bboxes_mode or ...`): so `layoutNms: false` cannot switch off NMS that the file turns
 * on, exactly as on a PaddleX server. What Roche's own engines accept beyond PaddleX's serving schemas
 * (per-class unclip ratios and merge modes from a request) is listed in docs/triton.md.
 */
export function applyOverrides(c: LayoutDetectionConfig, o: LayoutOverrides = {}): LayoutDetectionConfig {
  return {
    ...c,
    threshold: o.layoutThreshold ?? c.threshold,
    layout_nms: o.layoutNms || c.layout_nms,
    layout_unclip_ratio: o.layoutUnclipRatio || c.layout_unclip_ratio,
    layout_merge_bboxes_mode: o.layoutMergeBboxesMode || c.layout_merge_bboxes_mode,
  };
}

/** A model as Roche runs it: the entry of `Models` (or the single default) with its settings resolved. */
export interface ResolvedModel {
  name: string;
  engine: string;
  description?: string;
  tritonModel: string;
  /** Image tensor on the wire to Triton; the environment's when absent. */
  tritonWire?: TritonWire;
  hpsModel: string;
  onnxModel?: string;
  /** `SubModules.LayoutDetection` with this model's own keys over it. */
  layout: LayoutDetectionConfig;
}

/**
 * The models a job can pick, default first. Without a `Models` list the deployment has one model,
 * named after `ROCHE_ENGINE`, with the environment's Triton/HPS/ONNX names.
 */
export function resolveModels(
  p: PipelineConfig,
  env: { engine: string; tritonModel: string; hpsModel: string; onnxModel?: string },
): ResolvedModel[] {
  const base = p.SubModules.LayoutDetection;
  if (!p.Models) {
    return [
      {
        name: env.engine,
        engine: env.engine,
        tritonModel: env.tritonModel,
        hpsModel: env.hpsModel,
        onnxModel: env.onnxModel,
        layout: base,
      },
    ];
  }
  return p.Models.map((m) => ({
    name: m.name,
    engine: m.engine,
    ...(m.description ? { description: m.description } : {}),
    tritonModel: m.triton_model ?? env.tritonModel,
    ...(m.triton_wire ? { tritonWire: m.triton_wire } : {}),
    hpsModel: m.hps_model ?? env.hpsModel,
    onnxModel: m.onnx_model ?? env.onnxModel,
    layout: { ...base, ...m.LayoutDetection },
  }));
}

/** A short, stable name for one version of the file's contents, recorded in every result made with it. */
export function configVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
