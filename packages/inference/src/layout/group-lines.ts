import type { TextLine } from '../text-det/db-postprocess.js';
import { upperMedian } from '@roche/core';

export interface Block<L extends TextLine = TextLine> {
  box: [number, number, number, number];
  score: number;
  lines: L[];
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/**
 * Groups text lines into blocks by line pitch. Each line's pitch is the centre distance to the
 * nearest line below that overlaps it horizontally and has a similar height; the page's typical
 * pitch per unit of line height is the median of these. Two lines join when their centre distance
 * stays within `pitchTolerance` of that typical pitch, so the extra space between paragraphs
 * separates blocks whatever the font size, and a title over body text (different heights) stays
 * apart. Geometry only; no page-specific constants.
 */
export function groupLines<L extends TextLine>(
  lines: L[],
  opts: { pitchTolerance?: number; minOverlap?: number; maxHeightRatio?: number } = {},
): Block<L>[] {
  const pitchTolerance = opts.pitchTolerance ?? 1.25;
  const minOverlap = opts.minOverlap ?? 0.3;
  const maxHeightRatio = opts.maxHeightRatio ?? 1.5;
  const n = lines.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const order = lines.map((_, i) => i).sort((a, b) => lines[a]!.box[1] - lines[b]!.box[1]);
  const height = (b: TextLine['box']) => b[3] - b[1];
  const cy = (b: TextLine['box']) => (b[1] + b[3]) / 2;
  const compatible = (a: TextLine['box'], b: TextLine['box']) => {
    const ha = height(a);
    const hb = height(b);
    if (Math.max(ha, hb) / Math.min(ha, hb) > maxHeightRatio) return false;
    const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    return overlap > minOverlap * Math.min(a[2] - a[0], b[2] - b[0]);
  };
  // Nearest compatible line below each line.
  const below = new Int32Array(n).fill(-1);
  for (let ai = 0; ai < n; ai++) {
    const a = lines[order[ai]!]!.box;
    let best = -1;
    let bestD = Infinity;
    for (let bi = ai + 1; bi < n; bi++) {
      const b = lines[order[bi]!]!.box;
      if (b[1] - a[3] > 3 * height(a)) break; // sorted by top: the rest are further down
      const d = cy(b) - cy(a);
      if (d <= 0.3 * height(a) || !compatible(a, b)) continue; // same row (another column or a word gap)
      if (d < bestD) {
        bestD = d;
        best = order[bi]!;
      }
    }
    below[order[ai]!] = best;
  }
  const pitches = [...below].flatMap((j, i) =>
    j < 0 ? [] : [(cy(lines[j]!.box) - cy(lines[i]!.box)) / ((height(lines[i]!.box) + height(lines[j]!.box)) / 2)],
  );
  const relPitch = pitches.length ? upperMedian(pitches) : NaN;
  for (let i = 0; i < n; i++) {
    const j = below[i]!;
    if (j < 0 || !Number.isFinite(relPitch)) continue;
    const a = lines[i]!.box;
    const b = lines[j]!.box;
    const d = (cy(b) - cy(a)) / ((height(a) + height(b)) / 2);
    if (d <= pitchTolerance * relPitch) parent[find(parent, i)] = find(parent, j);
  }
  const groups = new Map<number, L[]>();
  for (let i = 0; i < n; i++) {
    const r = find(parent, i);
    const g = groups.get(r) ?? [];
    g.push(lines[i]!);
    groups.set(r, g);
  }
  return [...groups.values()].map((ls) => {
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    let area = 0;
    let weighted = 0;
    for (const l of ls) {
      box[0] = Math.min(box[0], l.box[0]);
      box[1] = Math.min(box[1], l.box[1]);
      box[2] = Math.max(box[2], l.box[2]);
      box[3] = Math.max(box[3], l.box[3]);
      const a = (l.box[2] - l.box[0]) * (l.box[3] - l.box[1]);
      area += a;
      weighted += a * l.score;
    }
    return { box, score: weighted / area, lines: ls.sort((p, q) => p.box[1] - q.box[1]) };
  });
}
