import type { Box, Region } from '@roche/core';
import { readingOrder } from './reading-order.js';

/** A found region before it has a place in the reading order; what an engine knows besides the box travels along. */
export interface Detected extends Partial<Pick<Region, 'latex' | 'formulaId' | 'text'>> {
  label: string;
  score: number;
  box: Readonly<Box>;
}

const tenth = (v: number) => Math.round(v * 10) / 10;

/**
 * What every engine hands back: regions in reading order (`order` 0..n-1), scores within [0, 1],
 * boxes to 0.1 px and, when the page size is given, inside the page.
 */
export function orderedRegions(items: readonly Detected[], page?: { width: number; height: number }): Region[] {
  const clamp = (b: Readonly<Box>): Box =>
    page ? [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(page.width, b[2]), Math.min(page.height, b[3])] : [b[0], b[1], b[2], b[3]];
  return readingOrder(items.map((r) => r.box)).map((i, rank) => {
    const r = items[i]!;
    return {
      label: r.label,
      score: Math.min(1, Math.max(0, r.score)),
      box: clamp(r.box).map(tenth) as Box,
      order: rank,
      ...(r.latex !== undefined ? { latex: r.latex } : {}),
      ...(r.formulaId !== undefined ? { formulaId: r.formulaId } : {}),
      ...(r.text !== undefined ? { text: r.text } : {}),
    };
  });
}
