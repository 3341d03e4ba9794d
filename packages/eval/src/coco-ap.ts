/**
 * COCO-style average precision, as pycocotools computes it for boxes: per class and IoU threshold,
 * detections sorted by score are greedily matched to the unmatched ground truth of the same image
 * with the highest IoU ≥ threshold; precision is made monotone and sampled at 101 recall points.
 * A class with no ground truth is left out of the mean (pycocotools reports -1 for it).
 */
type Box = Readonly<import('@roche/core').Box>;

export interface EvalImage {
  truth: Array<{ label: string; box: Box }>;
  predictions: Array<{ label: string; box: Box; score: number }>;
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

export const COCO_IOUS = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100);

/** AP of one class at one IoU threshold; null when the class has no ground truth. */
export function averagePrecision(images: EvalImage[], label: string, iouThr: number, maxDets = 100): number | null {
  const dets: Array<{ img: number; box: Box; score: number }> = [];
  let nTruth = 0;
  images.forEach((im, img) => {
    nTruth += im.truth.filter((t) => t.label === label).length;
    const mine = im.predictions
      .filter((p) => p.label === label)
      .sort((a, b) => b.score - a.score)
      .slice(0, maxDets);
    for (const p of mine) dets.push({ img, box: p.box, score: p.score });
  });
  if (nTruth === 0) return null;
  dets.sort((a, b) => b.score - a.score);
  const matched = images.map((im) => new Array(im.truth.length).fill(false) as boolean[]);
  const tp: number[] = [];
  for (const d of dets) {
    const truth = images[d.img]!.truth;
    let best = -1;
    let bestIou = iouThr;
    truth.forEach((t, j) => {
      if (t.label !== label || matched[d.img]![j]) return;
      const v = iou(d.box, t.box);
      if (v >= bestIou) {
        bestIou = v;
        best = j;
      }
    });
    if (best >= 0) matched[d.img]![best] = true;
    tp.push(best >= 0 ? 1 : 0);
  }
  const precision: number[] = [];
  const recall: number[] = [];
  let cum = 0;
  tp.forEach((v, i) => {
    cum += v;
    precision.push(cum / (i + 1));
    recall.push(cum / nTruth);
  });
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let sum = 0;
  for (let r = 0; r <= 100; r++) {
    const t = r / 100;
    const k = recall.findIndex((x) => x >= t - 1e-12);
    sum += k >= 0 ? precision[k]! : 0;
  }
  return sum / 101;
}

export interface ApTable {
  perClass: Record<string, { ap50: number | null; ap: number | null; truth: number; predicted: number }>;
  overall: { ap50: number; ap: number };
}

/** AP@0.5 and AP@[.5:.95] per class and their means over classes that have ground truth. */
export function evaluate(images: EvalImage[], classes: string[]): ApTable {
  const perClass: ApTable['perClass'] = {};
  for (const c of classes) {
    const ap50 = averagePrecision(images, c, 0.5);
    const aps = COCO_IOUS.map((t) => averagePrecision(images, c, t));
    perClass[c] = {
      ap50,
      ap: ap50 === null ? null : aps.reduce<number>((s, v) => s + (v ?? 0), 0) / aps.length,
      truth: images.reduce((s, im) => s + im.truth.filter((t) => t.label === c).length, 0),
      predicted: images.reduce((s, im) => s + im.predictions.filter((p) => p.label === c).length, 0),
    };
  }
  const scored = Object.values(perClass).filter((v) => v.ap50 !== null);
  const mean = (k: 'ap50' | 'ap') => (scored.length ? scored.reduce((s, v) => s + (v[k] ?? 0), 0) / scored.length : 0);
  return { perClass, overall: { ap50: mean('ap50'), ap: mean('ap') } };
}

export function formatApTable(t: ApTable, title = ''): string {
  const pct = (v: number | null) => (v === null ? '  n/a' : (v * 100).toFixed(1).padStart(5));
  const rows = Object.entries(t.perClass).map(
    ([c, v]) => `| ${c.padEnd(8)} | ${pct(v.ap50)} | ${pct(v.ap)} | ${String(v.truth).padStart(5)} | ${String(v.predicted).padStart(9)} |`,
  );
  return [
    ...(title ? [title, ''] : []),
    '| class    | AP@0.5 | AP@[.5:.95] | truth | predicted |',
    '|----------|-------:|------------:|------:|----------:|',
    ...rows,
    `| **all**  | ${pct(t.overall.ap50)} | ${pct(t.overall.ap)} |       |           |`,
  ].join('\n');
}
