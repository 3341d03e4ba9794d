import { parse } from 'yaml';
import { MODELS, type ModelSpec } from './models.js';

/**
 * Checks an exported model's `inference.yml` against what Roche hard-codes for it (./models.ts),
 * the way PaddleX reads the file (`DetPredictor._build`, PaddleX 3.x): `Preprocess` is a list of ops
 * keyed by their `type:` field; `NormalizeImage` goes through `build_normalize`, where a missing or
 * `none` norm_type means mean_std with the yml's mean/std (ImageNet when absent); `Resize` defaults to
 * keep_ratio false, interp 2. Used by model_repo/check-export.ts, which model_repo/fetch_models.sh
 * runs on every download.
 */

/**
 * How the export returns boxes for a batch, decided from `arch`, never from a trial run (a PicoDet
 * export can return the same number of rows for two noise images by chance):
 * - `fixed`: RT-DETR (`arch: DETR`) keeps its top-K queries, the same count per image, so the
 *   boxes can be reshaped to [N, K, 6] and Triton can batch and split requests;
 * - `nms`: PicoDet/GFL and other NMS heads return a variable number of rows per image, as one list
 *   for the batch, which Triton cannot split: served with max_batch_size 0.
 */
export type BatchLayout = 'fixed' | 'nms';
const FIXED_ARCHS = new Set(['DETR', 'RTDETR', 'RT-DETR']);
const NMS_ARCHS = new Set(['GFL', 'PicoDet', 'YOLO', 'YOLOX', 'PPYOLOE', 'PPYOLOEWithAuxHead']);

export interface InferenceYmlCheck {
  model: string;
  arch: string;
  layout: BatchLayout | undefined;
  size: number;
  mean: number[];
  std: number[];
  labels: string[];
  problems: string[];
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const close = (a: number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 1e-6);

/** Preprocess ops by their `type`, as PaddleX looks them up. */
export function preprocessOps(doc: { Preprocess?: unknown }): Map<string, Record<string, unknown>> {
  const ops = new Map<string, Record<string, unknown>>();
  if (!Array.isArray(doc.Preprocess)) return ops;
  for (const op of doc.Preprocess as Array<Record<string, unknown>>) if (op && typeof op.type === 'string') ops.set(op.type, op);
  return ops;
}

/** `build_normalize`: the mean/std PaddleX actually applies (after dividing by 255 when is_scale). */
export function effectiveNormalize(op: Record<string, unknown> | undefined): { mean: number[]; std: number[]; scale: number } | undefined {
  if (!op) return undefined;
  const normType = op.norm_type ?? 'mean_std';
  const meanStd = !normType || normType === 'none' || normType === 'mean_std';
  return {
    mean: meanStd ? ((op.mean as number[] | undefined) ?? IMAGENET_MEAN) : [0, 0, 0],
    std: meanStd ? ((op.std as number[] | undefined) ?? IMAGENET_STD) : [1, 1, 1],
    scale: op.is_scale === false ? 1 : 1 / 255,
  };
}

export function batchLayoutOf(arch: string): BatchLayout | undefined {
  if (FIXED_ARCHS.has(arch)) return 'fixed';
  if (NMS_ARCHS.has(arch)) return 'nms';
  return undefined;
}

export interface InferenceYml {
  Global?: { model_name?: string };
  arch?: string;
  label_list?: string[];
  Preprocess?: unknown;
}

export function parseInferenceYml(text: string): InferenceYml {
  return (parse(text) ?? {}) as InferenceYml;
}

export function checkInferenceYml(text: string, model: string, spec: ModelSpec | undefined = MODELS[model]): InferenceYmlCheck {
  const problems: string[] = [];
  const doc = parseInferenceYml(text);
  const arch = String(doc.arch ?? '');
  const layout = batchLayoutOf(arch);
  const out: InferenceYmlCheck = { model, arch, layout, size: 0, mean: [], std: [], labels: doc.label_list ?? [], problems };
  if (!spec) {
    problems.push(`no entry for ${model} in packages/inference/src/paddlex/models.ts`);
    return out;
  }
  if (doc.Global?.model_name !== undefined && doc.Global.model_name !== model)
    problems.push(`Global.model_name is ${doc.Global.model_name}, expected ${model}`);
  if (!layout) problems.push(`arch "${arch}" is not one Roche knows how to batch (RT-DETR: DETR; NMS heads: ${[...NMS_ARCHS].join(', ')})`);

  const ops = preprocessOps(doc);
  if (!ops.size) problems.push('no Preprocess ops with a type: field');
  const resize = ops.get('Resize');
  if (!resize) problems.push('no Resize op in Preprocess');
  else {
    const t = resize.target_size as number[] | undefined;
    out.size = Array.isArray(t) && t[0] === t[1] ? t[0]! : 0;
    if (!Array.isArray(t) || t[0] !== spec.size || t[1] !== spec.size)
      problems.push(`Resize.target_size ${JSON.stringify(t)} != [${spec.size}, ${spec.size}]`);
    if (resize.keep_ratio === true) problems.push('Resize.keep_ratio is true (Roche resizes without keeping the ratio)');
    if ((resize.interp ?? 2) !== 2) problems.push(`Resize.interp ${resize.interp} != 2 (cubic)`);
  }
  for (const extra of ops.keys())
    if (!['Resize', 'NormalizeImage', 'Permute'].includes(extra)) problems.push(`Preprocess op ${extra} is not implemented by Roche`);
  const norm = effectiveNormalize(ops.get('NormalizeImage'));
  if (!norm) problems.push('no NormalizeImage op in Preprocess');
  else {
    out.mean = norm.mean;
    out.std = norm.std;
    if (norm.scale !== 1 / 255) problems.push('NormalizeImage.is_scale is false (Roche divides by 255)');
    if (!close(norm.mean, spec.mean)) problems.push(`effective mean ${JSON.stringify(norm.mean)} != ${JSON.stringify(spec.mean)}`);
    if (!close(norm.std, spec.std)) problems.push(`effective std ${JSON.stringify(norm.std)} != ${JSON.stringify(spec.std)}`);
  }
  if (!ops.has('Permute')) problems.push('no Permute op (Roche sends CHW)');
  if (!doc.label_list) problems.push('no label_list');
  else if (doc.label_list.join('|') !== spec.labels.join('|')) {
    const at = doc.label_list.findIndex((l, i) => l !== spec.labels[i]);
    problems.push(
      `label_list differs from ${spec.name}'s labels in models.ts at index ${at} (${doc.label_list[at]} vs ${spec.labels[at]})`,
    );
  }
  return out;
}

/**
 * The exported graph's outputs must be the names the Triton adapter asks for: Paddle2ONNX calls the
 * boxes and the per-image counts `fetch_name_0` and `fetch_name_1`. A different export would start
 * and then fail every page, so the script stops here instead.
 */
export function checkExportNames(
  inputs: readonly string[],
  outputs: readonly string[],
  spec: Pick<ModelSpec, 'inputs'>,
  expected = { boxes: 'fetch_name_0', counts: 'fetch_name_1' },
): string[] {
  const problems: string[] = [];
  const missing = spec.inputs.filter((n) => !inputs.includes(n));
  if (missing.length) problems.push(`ONNX inputs lack ${missing.join(', ')} (graph has ${inputs.join(', ')})`);
  if (outputs[0] !== expected.boxes || outputs[1] !== expected.counts)
    problems.push(
      `ONNX outputs are [${outputs.join(', ')}], expected [${expected.boxes}, ${expected.counts}] (boxes, counts); ` +
        'Roche asks Triton for these names (PpDocLayoutAdapter) and would fail every page',
    );
  return problems;
}
