import type { LayoutDetectionConfig } from '@roche/core';

/**
 * PaddleX's layout post-processing (`DetPostProcess.apply` in
 * paddlex/inference/models/object_detection/processors.py, PaddleX 3.x), step by step and in its
 * order: threshold → layout NMS → drop page-sized `image` boxes → merge mode → unclip → clip to the
 * page. Ported from the source rather than from the reference's summary, which differs in places
 * (containment is ≥ 90 % of the inner box, not 80 %; the threshold is strict; formulas are never
 * "inside" a non-formula box; there is a page-sized image filter). Each step is a pure function.
 */

/** One detection as PaddleX exports them: `[class_id, score, x1, y1, x2, y2]` in original pixels. */
export interface Detection {
  cls: number;
  score: number;
  box: [number, number, number, number];
}

type Mode = 'large' | 'small' | 'union';
type Box = Detection['box'];

/** PaddleX's `iou`: the +1 pixel convention (a box from 0 to 9 is 10 pixels wide). */
export function iouPlusOne(a: Box, b: Box): number {
  const inter = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1);
  const area = (x: Box) => (x[2] - x[0] + 1) * (x[3] - x[1] + 1);
  return inter / (area(a) + area(b) - inter);
}

/** `nms(boxes, iou_same=0.6, iou_diff=0.98)` as `DetPostProcess` calls it. */
export const NMS_SAME_CLASS_IOU = 0.6;
export const NMS_OTHER_CLASS_IOU = 0.98;
/** `is_contained`: share of the inner box's area (no +1) inside the outer one. */
export const CONTAINMENT = 0.9;
/** Page-sized `image` boxes are dropped above this share of the page: landscape pages, portrait/square. */
export const LARGE_IMAGE_SHARE = { landscape: 0.82, portrait: 0.93 };

const classMap = <T>(v: unknown): Record<string, T> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, T>) : undefined;

/**
 * Keeps detections with `score > threshold` (strictly) and a class id > -1. A per-class map falls
 * back to 0.5 for classes it does not name, and (like numpy's grouping by `np.unique`) returns the
 * boxes grouped by ascending class id. PaddleX skips filtering when the number is a Python int;
 * here 0 and 1 are thresholds like any other.
 */
export function applyThreshold(dets: Detection[], threshold: LayoutDetectionConfig['threshold']): Detection[] {
  const map = classMap<number>(threshold);
  if (!map) return dets.filter((d) => d.score > (threshold as number) && d.cls > -1);
  const classes = [...new Set(dets.map((d) => d.cls))].sort((a, b) => a - b);
  return classes.flatMap((c) => dets.filter((d) => d.cls === c && d.score > (map[String(c)] ?? 0.5) && d.cls > -1));
}

/**
 * Greedy NMS by descending score: each kept box removes the remaining ones of its class at
 * IoU ≥ 0.6 and of other classes at IoU ≥ 0.98. Output is in descending score order; equal scores
 * keep numpy's order for small arrays (`argsort(...)[::-1]`: the later box first).
 */
export function layoutNms(dets: Detection[]): Detection[] {
  let rest = dets
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || b.i - a.i)
    .map((x) => x.d);
  const kept: Detection[] = [];
  while (rest.length) {
    const cur = rest[0]!;
    kept.push(cur);
    rest = rest.slice(1).filter((d) => iouPlusOne(cur.box, d.box) < (cur.cls === d.cls ? NMS_SAME_CLASS_IOU : NMS_OTHER_CLASS_IOU));
  }
  return kept;
}

/**
 * PaddleX drops `image` boxes that cover (after clipping to the page) more than 82 % of a landscape
 * page or 93 % of a portrait or square one, when there is more than one box; if that would leave
 * nothing, all boxes stay.
 */
export function dropPageSizedImages(dets: Detection[], labels: readonly string[], width: number, height: number): Detection[] {
  if (dets.length <= 1) return dets;
  const image = labels.indexOf('image');
  const limit = (width > height ? LARGE_IMAGE_SHARE.landscape : LARGE_IMAGE_SHARE.portrait) * width * height;
  const kept = dets.filter((d) => {
    if (d.cls !== image) return true;
    const area = (Math.min(width, d.box[2]) - Math.max(0, d.box[0])) * (Math.min(height, d.box[3]) - Math.max(0, d.box[1]));
    return area <= limit;
  });
  return kept.length ? kept : dets;
}

/** `is_contained(inner, outer)`: at least 90 % of the inner box's area lies inside the outer one. */
export function isContained(inner: Box, outer: Box): boolean {
  const area = (inner[2] - inner[0]) * (inner[3] - inner[1]);
  if (area <= 0) return false;
  const iw = Math.max(0, Math.min(inner[2], outer[2]) - Math.max(inner[0], outer[0]));
  const ih = Math.max(0, Math.min(inner[3], outer[3]) - Math.max(inner[1], outer[1]));
  return (iw * ih) / area >= CONTAINMENT;
}

/**
 * `check_containment`: flags for each box whether it contains another and whether it is contained
 * by another. A formula is never contained by a non-formula box (formulas inside paragraphs
 * survive). With a class and mode (per-class merge): `large` only counts containers of that class,
 * `small` only counts contained boxes of that class.
 */
export function checkContainment(dets: Detection[], formulaCls: number | undefined, only?: { cls: number; mode: 'large' | 'small' }) {
  const n = dets.length;
  const containsOther = new Array<boolean>(n).fill(false);
  const containedByOther = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (formulaCls !== undefined && dets[i]!.cls === formulaCls && dets[j]!.cls !== formulaCls) continue;
      if (only) {
        const counts = only.mode === 'large' ? dets[j]!.cls === only.cls : dets[i]!.cls === only.cls;
        if (!counts) continue;
      }
      if (isContained(dets[i]!.box, dets[j]!.box)) {
        containedByOther[i] = true;
        containsOther[j] = true;
      }
    }
  }
  return { containsOther, containedByOther };
}

/**
 * `layout_merge_bboxes_mode`. `large` drops every box inside another (two identical boxes drop
 * each other, as in PaddleX: NMS normally removed one before). `small` drops boxes that contain
 * another unless they are themselves inside one. `union` keeps all. A map `{class id: mode}` applies
 * each entry in turn over all boxes and keeps a box only if every entry keeps it: `large` for class
 * c drops boxes inside a class-c box; `small` for class c drops boxes containing a class-c box.
 */
export function mergeBoxes(
  dets: Detection[],
  mode: LayoutDetectionConfig['layout_merge_bboxes_mode'] | undefined,
  labels: readonly string[],
): Detection[] {
  if (!mode) return dets;
  const formula = labels.indexOf('formula');
  const formulaCls = formula >= 0 ? formula : undefined;
  const keepFor = (m: Mode, only?: { cls: number; mode: 'large' | 'small' }): boolean[] => {
    if (m === 'union') return dets.map(() => true);
    const { containsOther, containedByOther } = checkContainment(dets, formulaCls, only);
    return m === 'large' ? containedByOther.map((c) => !c) : dets.map((_, i) => !containsOther[i] || containedByOther[i]!);
  };
  const map = classMap<Mode>(mode);
  if (!map) return dets.filter((_, i) => keepFor(mode as Mode)[i]);
  const keep = dets.map(() => true);
  for (const [cls, m] of Object.entries(map)) {
    const k = m === 'union' ? undefined : keepFor(m, { cls: Number(cls), mode: m });
    k?.forEach((v, i) => (keep[i] = keep[i]! && v));
  }
  return dets.filter((_, i) => keep[i]);
}

/**
 * `unclip_boxes`: scales each box's width and height about its centre; a number applies to both
 * axes, `[w, h]` per axis, a map per class id (classes it does not name stay as they are). No
 * clipping here: that is the last step.
 */
export function unclip(dets: Detection[], ratio: LayoutDetectionConfig['layout_unclip_ratio'] | undefined): Detection[] {
  if (!ratio) return dets;
  const map = classMap<number | [number, number]>(ratio);
  return dets.map((d) => {
    const r = map ? map[String(d.cls)] : (ratio as number | [number, number]);
    if (r === undefined) return d;
    const [rw, rh] = Array.isArray(r) ? r : [r, r];
    const w = d.box[2] - d.box[0];
    const h = d.box[3] - d.box[1];
    const cx = d.box[0] + w / 2;
    const cy = d.box[1] + h / 2;
    return { ...d, box: [cx - (w * rw) / 2, cy - (h * rh) / 2, cx + (w * rw) / 2, cy + (h * rh) / 2] };
  });
}

/**
 * `restructured_boxes`: clips to the page and drops a box that clipping leaves empty
 * (`if xmax <= xmin or ymax <= ymin: continue`, PaddleX 3.x processors.py).
 */
export function clipToPage(dets: Detection[], width: number, height: number): Detection[] {
  return dets
    .map((d) => ({
      ...d,
      box: [Math.max(0, d.box[0]), Math.max(0, d.box[1]), Math.min(width, d.box[2]), Math.min(height, d.box[3])] as Box,
    }))
    .filter((d) => d.box[2] > d.box[0] && d.box[3] > d.box[1]);
}

/** The whole chain for one page of `width × height` pixels; `labels` are the model's class names. */
export function postprocessLayout(
  dets: Detection[],
  cfg: Pick<LayoutDetectionConfig, 'threshold' | 'layout_nms' | 'layout_merge_bboxes_mode' | 'layout_unclip_ratio'>,
  page: { width: number; height: number },
  labels: readonly string[],
): Detection[] {
  let out = applyThreshold(dets, cfg.threshold);
  if (cfg.layout_nms) out = layoutNms(out);
  out = dropPageSizedImages(out, labels, page.width, page.height);
  out = mergeBoxes(out, cfg.layout_merge_bboxes_mode, labels);
  if (!out.length) return [];
  out = unclip(out, cfg.layout_unclip_ratio);
  return clipToPage(out, page.width, page.height);
}

/** Splits the concatenated `[M,6]` output of a batch (or `[N,K,6]`, same rows) by the per-image counts. */
export function splitBatchOutput(boxes: Float32Array, counts: ArrayLike<number>): Detection[][] {
  const out: Detection[][] = [];
  let row = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = Number(counts[i]);
    const dets: Detection[] = [];
    for (let k = 0; k < n; k++, row++) {
      const o = row * 6;
      if (o + 6 > boxes.length) throw new Error(`model output has ${boxes.length / 6} boxes but its counts add up to more`);
      dets.push({ cls: Math.round(boxes[o]!), score: boxes[o + 1]!, box: [boxes[o + 2]!, boxes[o + 3]!, boxes[o + 4]!, boxes[o + 5]!] });
    }
    out.push(dets);
  }
  return out;
}
