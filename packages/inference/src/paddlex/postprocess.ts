import type { LayoutDetectionConfig } from '@roche/core';

/** One detection as PaddleX exports them: `[class_id, score, x1, y1, x2, y2]` in original pixels. */
export interface Detection {
  cls: number;
  score: number;
  box: [number, number, number, number];
}

type Mode = 'large' | 'small' | 'union';

/** IoU with the +1 pixel convention PaddleX's layout NMS uses (reference: "verify constants"). */
export function iouPlusOne(a: Detection['box'], b: Detection['box']): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1;
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const area = (x: Detection['box']) => (x[2] - x[0] + 1) * (x[3] - x[1] + 1);
  return inter / (area(a) + area(b) - inter);
}

export const NMS_SAME_CLASS_IOU = 0.6;
export const NMS_OTHER_CLASS_IOU = 0.98;
/** Share of a box inside another for it to count as contained (merge modes). */
export const CONTAINMENT = 0.8;

const perClass = <T>(v: T | Record<string, T>, cls: number, fallback: T): T =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? ((v as Record<string, T>)[String(cls)] ?? fallback) : (v as T);

export function applyThreshold(dets: Detection[], threshold: LayoutDetectionConfig['threshold']): Detection[] {
  return dets.filter((d) => d.score >= perClass(threshold as number | Record<string, number>, d.cls, 0.5));
}

/** Greedy NMS by score: a box is dropped by a kept higher one of the same class at IoU ≥ 0.6, of another class at ≥ 0.98. */
export function layoutNms(dets: Detection[]): Detection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.some((k) => iouPlusOne(k.box, d.box) >= (k.cls === d.cls ? NMS_SAME_CLASS_IOU : NMS_OTHER_CLASS_IOU))) continue;
    kept.push(d);
  }
  return kept;
}

function containedIn(inner: Detection['box'], outer: Detection['box']): boolean {
  const iw = Math.max(0, Math.min(inner[2], outer[2]) - Math.max(inner[0], outer[0]));
  const ih = Math.max(0, Math.min(inner[3], outer[3]) - Math.max(inner[1], outer[1]));
  const area = (inner[2] - inner[0]) * (inner[3] - inner[1]);
  return area > 0 && (iw * ih) / area >= CONTAINMENT;
}

/** `large` keeps the outer of nested boxes, `small` the inner ones, `union` both; the mode may be per class. */
export function mergeBoxes(dets: Detection[], mode: LayoutDetectionConfig['layout_merge_bboxes_mode']): Detection[] {
  return dets.filter((d, i) => {
    const m = perClass<Mode>(mode as Mode | Record<string, Mode>, d.cls, 'union');
    if (m === 'union') return true;
    return !dets.some((o, j) => {
      if (i === j) return false;
      if (m === 'large') return containedIn(d.box, o.box) && !(containedIn(o.box, d.box) && j > i);
      return containedIn(o.box, d.box) && !(containedIn(d.box, o.box) && j > i);
    });
  });
}

/** Scales each box's width and height about its centre, then clips to the image. */
export function unclip(dets: Detection[], ratio: LayoutDetectionConfig['layout_unclip_ratio'], width: number, height: number): Detection[] {
  return dets.map((d) => {
    const r = perClass<number | [number, number]>(ratio as number | [number, number] | Record<string, number | [number, number]>, d.cls, 1);
    const [rw, rh] = Array.isArray(r) ? r : [r, r];
    const cx = (d.box[0] + d.box[2]) / 2;
    const cy = (d.box[1] + d.box[3]) / 2;
    const w = ((d.box[2] - d.box[0]) * rw) / 2;
    const h = ((d.box[3] - d.box[1]) * rh) / 2;
    return { ...d, box: [Math.max(0, cx - w), Math.max(0, cy - h), Math.min(width, cx + w), Math.min(height, cy + h)] };
  });
}

/** PaddleX's layout post-processing in its order: threshold, NMS, merge mode, unclip. */
export function postprocessLayout(dets: Detection[], cfg: LayoutDetectionConfig, width: number, height: number): Detection[] {
  let out = applyThreshold(dets, cfg.threshold);
  if (cfg.layout_nms) out = layoutNms(out);
  out = mergeBoxes(out, cfg.layout_merge_bboxes_mode);
  return unclip(out, cfg.layout_unclip_ratio, width, height);
}

/** Splits the concatenated `[M,6]` output of a batch by the per-image counts. */
export function splitBatchOutput(boxes: Float32Array, counts: ArrayLike<number>): Detection[][] {
  const out: Detection[][] = [];
  let row = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = Number(counts[i]);
    const dets: Detection[] = [];
    for (let k = 0; k < n; k++, row++) {
      const o = row * 6;
      dets.push({ cls: Math.round(boxes[o]!), score: boxes[o + 1]!, box: [boxes[o + 2]!, boxes[o + 3]!, boxes[o + 4]!, boxes[o + 5]!] });
    }
    out.push(dets);
  }
  return out;
}
