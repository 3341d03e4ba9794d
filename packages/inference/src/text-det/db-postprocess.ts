/**
 * DB (Differentiable Binarization) post-processing as PaddleOCR's DBPostProcess does it, with
 * axis-aligned boxes (document text is upright after EXIF rotation): binarize the probability
 * map, take connected components, score each by its mean probability, drop weak or tiny ones,
 * and unclip by the polygon-offset distance `area * ratio / perimeter`.
 */
export interface DbOptions {
  /** Pixel threshold on the probability map (PaddleOCR `thresh`). */
  thresh: number;
  /** Minimum mean probability of a component (PaddleOCR `box_thresh`). */
  boxThresh: number;
  unclipRatio: number;
  /** Components whose shorter side is under this many map pixels are noise (PaddleOCR `min_size`). */
  minSize: number;
  maxCandidates: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, minSize: 3, maxCandidates: 3000 };

export interface TextLine {
  box: [number, number, number, number];
  score: number;
}

/** Labels 8-connected components of `mask`; returns per-pixel labels (0 = background) and the count. */
export function connectedComponents(mask: Uint8Array, width: number, height: number): { labels: Int32Array; count: number } {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    count++;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = count;
    while (sp) {
      const p = stack[--sp]!;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && !labels[q]) {
            labels[q] = count;
            stack[sp++] = q;
          }
        }
      }
    }
  }
  return { labels, count };
}

/**
 * `prob` is the model's H×W map for one image; boxes come back in the map's pixel space scaled
 * by `ratioW`/`ratioH` into page pixels and clipped to `pageWidth`×`pageHeight`.
 */
export function dbPostprocess(
  prob: Float32Array,
  width: number,
  height: number,
  scale: { ratioW: number; ratioH: number; pageWidth: number; pageHeight: number },
  opts: DbOptions = DEFAULT_DB_OPTIONS,
): TextLine[] {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i]! > opts.thresh ? 1 : 0;
  const { labels, count } = connectedComponents(mask, width, height);
  const x1 = new Int32Array(count + 1).fill(width);
  const y1 = new Int32Array(count + 1).fill(height);
  const x2 = new Int32Array(count + 1).fill(-1);
  const y2 = new Int32Array(count + 1).fill(-1);
  const sum = new Float64Array(count + 1);
  const n = new Int32Array(count + 1);
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p]!;
    if (!l) continue;
    const x = p % width;
    const y = (p - x) / width;
    if (x < x1[l]!) x1[l] = x;
    if (x > x2[l]!) x2[l] = x;
    if (y < y1[l]!) y1[l] = y;
    if (y > y2[l]!) y2[l] = y;
    sum[l] = sum[l]! + prob[p]!;
    n[l] = n[l]! + 1;
  }
  const lines: TextLine[] = [];
  for (let l = 1; l <= count && lines.length < opts.maxCandidates; l++) {
    // +1: a component spanning pixels a..b covers b - a + 1 pixels.
    const w = x2[l]! - x1[l]! + 1;
    const h = y2[l]! - y1[l]! + 1;
    if (Math.min(w, h) < opts.minSize) continue;
    const score = sum[l]! / n[l]!;
    if (score < opts.boxThresh) continue;
    const d = (w * h * opts.unclipRatio) / (2 * (w + h));
    const bx1 = Math.max(0, (x1[l]! - d) * scale.ratioW);
    const by1 = Math.max(0, (y1[l]! - d) * scale.ratioH);
    const bx2 = Math.min(scale.pageWidth, (x2[l]! + 1 + d) * scale.ratioW);
    const by2 = Math.min(scale.pageHeight, (y2[l]! + 1 + d) * scale.ratioH);
    if (bx2 - bx1 < 1 || by2 - by1 < 1) continue;
    lines.push({ box: [bx1, by1, bx2, by2], score });
  }
  return lines;
}
