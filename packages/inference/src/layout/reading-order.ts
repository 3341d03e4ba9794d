import type { Box as MutableBox } from '@roche/core';

type Box = Readonly<MutableBox>;

/** Gaps in the projection of boxes onto one axis, as [start, end] of each empty run. */
function gaps(boxes: Box[], idx: number[], axis: 0 | 1): Array<[number, number]> {
  const spans = idx.map((i) => [boxes[i]![axis], boxes[i]![axis + 2]] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let end = spans[0]![1];
  for (const [s, e] of spans.slice(1)) {
    if (s > end) out.push([end, s]);
    end = Math.max(end, e);
  }
  return out;
}

/**
 * Reading order by recursive XY-cut, columns first: where the boxes split into side-by-side
 * groups with an empty vertical band, read the left group before the right; otherwise cut
 * horizontally at empty bands and read top to bottom, keeping consecutive bands that share a
 * column gutter together. Full-width elements (titles, footers) prevent a column cut at their
 * level, so they land between the column sections they separate.
 * Returns indices into `boxes` in reading order.
 */
export function readingOrder(boxes: Box[], minGap = 1): number[] {
  const all = boxes.map((_, i) => i);
  const out: number[] = [];
  const visit = (idx: number[]): void => {
    if (idx.length <= 1) {
      out.push(...idx);
      return;
    }
    const split = (sub: number[], axis: 0 | 1): number[][] | null => {
      const g = gaps(boxes, sub, axis).filter(([s, e]) => e - s >= minGap);
      if (!g.length) return null;
      const cuts = g.map(([s, e]) => (s + e) / 2);
      const groups: number[][] = [...cuts.map(() => []), []];
      for (const i of sub) {
        const c = (boxes[i]![axis] + boxes[i]![axis + 2]!) / 2;
        let k = 0;
        while (k < cuts.length && c > (cuts[k] ?? Infinity)) k++;
        groups[k]!.push(i);
      }
      return groups.filter((grp) => grp.length);
    };
    const columns = split(idx, 0);
    if (columns) {
      for (const grp of columns) visit(grp);
      return;
    }
    const bands = split(idx, 1);
    if (bands) {
      // Adjacent bands that share a column gutter are one multi-column section: cutting between
      // them would interleave the columns paragraph by paragraph.
      const gutters = bands.map((b) => gaps(boxes, b, 0).filter(([s, e]) => e - s >= minGap));
      const merged: number[][] = [];
      let cur = bands[0]!;
      let curG = gutters[0]!;
      for (let k = 1; k < bands.length; k++) {
        const g = gutters[k]!;
        const shared = curG.flatMap(([a, b]) =>
          g.flatMap(([c, d]) => (Math.min(b, d) - Math.max(a, c) >= minGap ? [[Math.max(a, c), Math.min(b, d)] as [number, number]] : [])),
        );
        if (shared.length) {
          cur = [...cur, ...bands[k]!];
          curG = shared;
        } else {
          merged.push(cur);
          cur = bands[k]!;
          curG = g;
        }
      }
      merged.push(cur);
      for (const grp of merged) visit(grp);
      return;
    }
    // Overlapping boxes with no clean cut: top-to-bottom, then left-to-right.
    out.push(...[...idx].sort((a, b) => boxes[a]![1] - boxes[b]![1] || boxes[a]![0] - boxes[b]![0]));
  };
  visit(all);
  return out;
}
