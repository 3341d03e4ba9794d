import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const MergeMode = z.enum(['large', 'small', 'union']);
const ClassMap = <T extends z.ZodTypeAny>(v: T) => z.record(z.string().regex(/^\d+$/, 'class ids are integers'), v);
const UnclipPair = z.tuple([z.number().positive(), z.number().positive()]);
/** One number, `[w, h]`, or `{class id: [w, h]}` (PaddleX unpacks a pair per class; a bare number there would fail in PaddleX). */
const UnclipRatio = z.union([z.number().positive(), UnclipPair, ClassMap(UnclipPair)]);

/** `threshold`: one number or a map of class id → number (PaddleX). */
export const Threshold = z.union([z.number().min(0).max(1), ClassMap(z.number().min(0).max(1))]);

/** The layout-detection settings PaddleX reads from `SubModules.LayoutDetection`. */
export const LayoutDetectionConfig = z
  .object({
    module_name: z.literal('layout_detection').default('layout_detection'),
    model_name: z.enum(['PP-DocLayout-L', 'PP-DocLayout-M', 'PP-DocLayout-S', 'PP-DocLayout_plus-L']),
    model_dir: z.string().nullable().optional(),
    batch_size: z.number().int().positive().default(1),
    threshold: Threshold.default(0.5),
    layout_nms: z.boolean().default(true),
    layout_unclip_ratio: UnclipRatio.default(1.0),
    layout_merge_bboxes_mode: z.union([MergeMode, ClassMap(MergeMode)]).default('large'),
  })
  .strict();
export type LayoutDetectionConfig = z.infer<typeof LayoutDetectionConfig>;

export const PipelineConfig = z.object({
  pipeline_name: z.string(),
  SubModules: z.object({ LayoutDetection: LayoutDetectionConfig }).passthrough(),
});
export type PipelineConfig = z.infer<typeof PipelineConfig>;

/** Per-request overrides, named as in PaddleX's serving API, applied on top of the file. */
export const LayoutOverrides = z
  .object({
    layoutThreshold: Threshold.optional(),
    layoutNms: z.boolean().optional(),
    layoutUnclipRatio: UnclipRatio.optional(),
    layoutMergeBboxesMode: z.union([MergeMode, ClassMap(MergeMode)]).optional(),
  })
  .strict();
export type LayoutOverrides = z.infer<typeof LayoutOverrides>;

export function applyOverrides(c: LayoutDetectionConfig, o: LayoutOverrides = {}): LayoutDetectionConfig {
  return {
    ...c,
    ...(o.layoutThreshold !== undefined ? { threshold: o.layoutThreshold } : {}),
    ...(o.layoutNms !== undefined ? { layout_nms: o.layoutNms } : {}),
    ...(o.layoutUnclipRatio !== undefined ? { layout_unclip_ratio: o.layoutUnclipRatio } : {}),
    ...(o.layoutMergeBboxesMode !== undefined ? { layout_merge_bboxes_mode: o.layoutMergeBboxesMode } : {}),
  };
}

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
