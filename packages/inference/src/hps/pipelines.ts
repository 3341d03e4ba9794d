import { RocheError, type LayoutOverrides, type Region } from '@roche/core';
import { orderedRegions } from '../layout/regions.js';

/**
 * The PaddleX serving pipelines Roche can call over HPS, by their Triton model name (PaddleX
 * `deploy/hps/sdk/pipelines/<pipeline>/server/model_repo/<model name>`). Each has its own request
 * schema and reply (`paddlex/inference/serving/schemas/<pipeline>.py`).
 */
export const HPS_PIPELINES = ['layout-parsing', 'formula-recognition', 'object-detection'] as const;
export type HpsPipeline = (typeof HPS_PIPELINES)[number];

/** Refuses, at start, a model name whose request and reply Roche does not know: no silent 0 regions. */
export function hpsPipelineOf(model: string): HpsPipeline {
  if ((HPS_PIPELINES as readonly string[]).includes(model)) return model as HpsPipeline;
  throw new Error(`ROCHE_HPS_MODEL "${model}" is not a PaddleX serving pipeline Roche speaks (${HPS_PIPELINES.join(', ')})`);
}

const refuse = (pipeline: HpsPipeline, key: string, why: string) =>
  new RocheError('validation_failed', `overrides.${key}: ${why} (engine paddlex-hps, pipeline ${pipeline})`, {
    details: { field: `options.overrides.${key}`, engine: 'paddlex-hps', pipeline },
  });

/**
 * Overrides → the request fields the pipeline honours, or a `validation_failed` RocheError naming
 * the first one it would refuse or silently drop. Pure: the submit path calls it (through
 * `@roche/engines` `checkOverrides`) so a job is refused with a 400 before it is queued.
 *
 * - `layout-parsing`, `formula-recognition` (InferRequest in their schemas): `layoutThreshold`
 *   `float | dict`, `layoutNms` bool, `layoutUnclipRatio` `float | (float, float)`,
 *   `layoutMergeBboxesMode` `str`. A threshold map passes the schema but its JSON keys are strings
 *   and `DetPostProcess` looks classes up by int, so every class silently falls back to 0.5: refused.
 *   Per-class unclip ratios and merge modes fail the schema (422): refused here with a clearer message.
 * - `object-detection`: the HPS model passes only `threshold` (`float | Dict[int, float]`; pydantic
 *   turns the keys into ints, so a per-class map works) to the pipeline; the layout fields of its
 *   schema are dropped by `model.py`, so they are refused.
 */
export function hpsOverrideFields(pipeline: HpsPipeline, o: LayoutOverrides = {}): Record<string, unknown> {
  if (pipeline === 'object-detection') {
    for (const k of ['layoutNms', 'layoutUnclipRatio', 'layoutMergeBboxesMode'] as const)
      if (o[k] !== undefined) throw refuse(pipeline, k, 'the object-detection pipeline ignores it (its HPS model passes only threshold)');
    return o.layoutThreshold !== undefined ? { threshold: o.layoutThreshold } : {};
  }
  const out: Record<string, unknown> = {};
  if (o.layoutThreshold !== undefined) {
    if (typeof o.layoutThreshold !== 'number')
      throw refuse(
        pipeline,
        'layoutThreshold',
        'per-class thresholds are ignored by this pipeline (string keys never match its int class ids)',
      );
    out.layoutThreshold = o.layoutThreshold;
  }
  if (o.layoutNms !== undefined) out.layoutNms = o.layoutNms;
  if (o.layoutUnclipRatio !== undefined) {
    if (!(typeof o.layoutUnclipRatio === 'number' || Array.isArray(o.layoutUnclipRatio)))
      throw refuse(pipeline, 'layoutUnclipRatio', 'per-class unclip ratios are refused by this pipeline (number or [w, h] only)');
    out.layoutUnclipRatio = o.layoutUnclipRatio;
  }
  if (o.layoutMergeBboxesMode !== undefined) {
    if (typeof o.layoutMergeBboxesMode !== 'string')
      throw refuse(pipeline, 'layoutMergeBboxesMode', 'per-class merge modes are refused by this pipeline (large, small or union only)');
    out.layoutMergeBboxesMode = o.layoutMergeBboxesMode;
  }
  return out;
}

/**
 * The request JSON. Document pipelines get the page as a base64 image (`fileType: 1`) and
 * `useDocOrientationClassify`/`useDocUnwarping` false: the stock configs turn both on, and a rotated
 * or unwarped page would come back with boxes in that other image's coordinates.
 */
export function hpsRequest(pipeline: HpsPipeline, imageBase64: string, overrides?: LayoutOverrides): Record<string, unknown> {
  const fields = hpsOverrideFields(pipeline, overrides);
  if (pipeline === 'object-detection') return { image: imageBase64, visualize: false, ...fields };
  return {
    file: imageBase64,
    fileType: 1,
    visualize: false,
    useDocOrientationClassify: false,
    useDocUnwarping: false,
    ...(pipeline === 'formula-recognition' ? { useLayoutDetection: true } : {}),
    ...fields,
  };
}

interface Box {
  label: string;
  score: number;
  box: [number, number, number, number];
  latex?: string;
  formulaId?: number;
}

const fail = (msg: string) => new RocheError('inference_failed', `PaddleX HPS reply: ${msg}`, { retryable: false });
const isBox = (v: unknown): v is [number, number, number, number] =>
  Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number');

/** `layout_det_res.boxes[]`: `{cls_id, label, score, coordinate: [x1, y1, x2, y2]}` (DetResult's JSON). */
function layoutBoxes(pruned: Record<string, unknown>): Box[] {
  const det = pruned.layout_det_res as { boxes?: unknown } | undefined;
  if (!det || !Array.isArray(det.boxes)) throw fail('no layout_det_res.boxes in prunedResult; is layout detection on in the pipeline?');
  return det.boxes.map((b: { label?: unknown; score?: unknown; coordinate?: unknown }, i) => {
    if (typeof b.label !== 'string' || typeof b.score !== 'number' || !isBox(b.coordinate)) throw fail(`layout box ${i} is malformed`);
    return { label: b.label, score: b.score, box: b.coordinate };
  });
}

/**
 * `formula_res_list[]`: `{rec_formula, formula_region_id, dt_polys}`, where the pipeline's JSON wraps
 * the box in a one-element tuple (`dt_polys: [[x1, y1, x2, y2]]`). Formula regions take their LaTeX
 * from the entry with the same box; failing that, from the same formula_region_id, which the
 * pipeline numbers 1, 2, ... over the `formula` boxes in layout order.
 */
function attachFormulas(boxes: Box[], list: unknown): void {
  if (!Array.isArray(list)) return;
  const entries = list.map((f: { rec_formula?: unknown; formula_region_id?: unknown; dt_polys?: unknown }) => {
    const poly = Array.isArray(f.dt_polys) && Array.isArray(f.dt_polys[0]) ? f.dt_polys[0] : f.dt_polys;
    return {
      latex: typeof f.rec_formula === 'string' ? f.rec_formula : undefined,
      id: typeof f.formula_region_id === 'number' ? f.formula_region_id : undefined,
      box: isBox(poly) ? poly : undefined,
    };
  });
  let nth = 0;
  for (const b of boxes) {
    if (b.label.toLowerCase() !== 'formula') continue;
    nth++;
    const same = entries.find((e) => e.box && e.box.every((v, k) => Math.abs(v - b.box[k]!) < 1e-3));
    const hit = same ?? entries.find((e) => e.id === nth);
    if (hit?.latex !== undefined) {
      b.latex = hit.latex;
      b.formulaId = hit.id ?? nth;
    }
  }
}

/** The first page of a reply's `result`, as boxes in the sent image's pixels; loud on anything unexpected. */
export function hpsResultBoxes(pipeline: HpsPipeline, result: Record<string, unknown> | undefined): Box[] {
  if (!result) throw fail('no result');
  if (pipeline === 'object-detection') {
    const objs = result.detectedObjects;
    if (!Array.isArray(objs)) throw fail('no detectedObjects in an object-detection reply');
    return objs.map((o: { bbox?: unknown; categoryName?: unknown; score?: unknown }, i) => {
      if (typeof o.categoryName !== 'string' || typeof o.score !== 'number' || !isBox(o.bbox))
        throw fail(`detected object ${i} is malformed`);
      return { label: o.categoryName, score: o.score, box: o.bbox };
    });
  }
  const key = pipeline === 'formula-recognition' ? 'formulaRecResults' : 'layoutParsingResults';
  const pages = result[key];
  if (!Array.isArray(pages) || pages.length === 0) throw fail(`no ${key} in a ${pipeline} reply`);
  const pruned = (pages[0] as { prunedResult?: Record<string, unknown> }).prunedResult;
  if (!pruned) throw fail(`${key}[0] has no prunedResult`);
  const settings = pruned.model_settings as { use_doc_preprocessor?: boolean } | undefined;
  const pre = pruned.doc_preprocessor_res as { angle?: number } | undefined;
  // Roche sends the two switches off; a server that still rotated or unwarped the page would hand back
  // boxes in another image's coordinates, so the page fails instead of carrying shifted regions.
  if (settings?.use_doc_preprocessor || (pre && typeof pre.angle === 'number' && pre.angle !== 0 && pre.angle !== -1))
    throw fail('the pipeline ran document preprocessing (orientation/unwarping): boxes would not be in the page coordinates');
  const boxes = layoutBoxes(pruned);
  if (pipeline === 'formula-recognition') attachFormulas(boxes, pruned.formula_res_list);
  return boxes;
}

/** Boxes → regions (the shared region builder); boxes clipped away entirely are dropped; formulas keep their LaTeX. */
export function hpsRegions(boxes: Box[], width: number, height: number): Region[] {
  const inside = boxes.filter(
    (b) => Math.min(width, b.box[2]) > Math.max(0, b.box[0]) && Math.min(height, b.box[3]) > Math.max(0, b.box[1]),
  );
  return orderedRegions(inside, { width, height });
}
