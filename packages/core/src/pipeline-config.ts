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
/** Engines a model entry can name (the same names as `ROCHE_ENGINE`). */
/**
 * How pages go to a Triton model: `fp32` the normalized tensor, `uint8` resized pixels (the model
 * repository normalizes), `native` the page's pixels at its own size (the repository resizes and
 * normalizes: model_repo/pp_doclayout_native).
 */
export const TritonWire = z.enum(['fp32', 'uint8', 'native']);
export type TritonWire = z.infer<typeof TritonWire>;

export const EngineName = z.enum(['embedded', 'analyzer', 'text-blocks', 'tesseract', 'onnx', 'triton', 'paddlex-hps']);

/**
 * One model a job can pick with `options.model` (Roche's addition to the PaddleX file). Its
 * `LayoutDetection` keys override `SubModules.LayoutDetection` for this model only.
 */
export const ModelEntry = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-"'),
    engine: EngineName,
    description: z.string().max(500).optional(),
    /** triton: the model's name on the server (default `ROCHE_TRITON_MODEL`). */
    triton_model: z.string().min(1).optional(),
    /** triton: how pages go to the model (TritonWire; default `ROCHE_TRITON_WIRE`). */
    triton_wire: TritonWire.optional(),
    /** paddlex-hps: the pipeline's name on the server (default `ROCHE_HPS_MODEL`). */
    hps_model: z.string().min(1).optional(),
    /** onnx: path of the export (default `ROCHE_ONNX_MODEL`). */
    onnx_model: z.string().min(1).optional(),
    LayoutDetection: LayoutDetectionConfig.partial().strict().optional(),
  })
  .strict();
export type ModelEntry = z.infer<typeof ModelEntry>;

export const PipelineConfig = z
  .object({
    pipeline_name: z.string(),
    SubModules: z.object({ LayoutDetection: LayoutDetectionConfig }).passthrough(),
    /** Models a job can pick; the first is the default. Absent: one model, the `ROCHE_ENGINE` engine with `SubModules.LayoutDetection`. */
    Models: z
      .array(ModelEntry)
      .min(1)
      .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, 'model names must be unique')
      .optional(),
  })
  .passthrough();
export type PipelineConfig = z.infer<typeof PipelineConfig>;

/**
 * Per-request overrides, named as in PaddleX's serving API. Validated once, at submit; the type then
 * travels unchanged to the engine. What each engine does with them (and which it refuses) is in
 * `@roche/engines` `checkOverrides` and docs/triton.md.
 */
export const LayoutOverrides = z
  .object({
    layoutThreshold: Threshold.optional().describe(
      'Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx ' +
        'engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them).',
    ),
    layoutNms: z
      .boolean()
      .optional()
      .describe('Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on.'),
    layoutUnclipRatio: UnclipRatio.optional().describe(
      'Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only.',
    ),
    layoutMergeBboxesMode: z
      .union([MergeMode, ClassMap(MergeMode)])
      .optional()
      .describe('large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only.'),
  })
  .strict()
  .describe(
    "PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its " +
      'pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them.',
  );
export type LayoutOverrides = z.infer<typeof LayoutOverrides>;
