import fs from 'node:fs';
import { PipelineConfig, type LayoutDetectionConfig, type LayoutOverrides } from '@roche/core';
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
