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

/**
 * A PaddleX pipeline config of which Roche reads `SubModules.LayoutDetection` only; the shipped file
 * names `formula_recognition`, the PaddleX pipeline whose layout block it mirrors.
 */
export const PipelineConfig = z.object({
  pipeline_name: z.string(),
  SubModules: z.object({ LayoutDetection: LayoutDetectionConfig }).passthrough(),
});
export type PipelineConfig = z.infer<typeof PipelineConfig>;

/**
 * Per-request overrides, named as in PaddleX's serving API. Validated once, at submit; the type then
 * travels unchanged to the engine. What each engine does with them (and which it refuses) is in
 * `@roche/engines` `checkOverrides` and docs/triton.md.
 */
export const LayoutOverrides = z
  .object({
    layoutThreshold: Threshold.optional(),
    layoutNms: z.boolean().optional(),
    layoutUnclipRatio: UnclipRatio.optional(),
    layoutMergeBboxesMode: z.union([MergeMode, ClassMap(MergeMode)]).optional(),
  })
  .strict();
export type LayoutOverrides = z.infer<typeof LayoutOverrides>;
