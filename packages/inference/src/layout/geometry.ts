import type { Box } from '@roche/core';

export type { Box };

/** Smallest box holding all of `bs`. */
export const union = (bs: readonly Readonly<Box>[]): Box => [
  Math.min(...bs.map((b) => b[0])),
  Math.min(...bs.map((b) => b[1])),
  Math.max(...bs.map((b) => b[2])),
  Math.max(...bs.map((b) => b[3])),
];

/** Area of the intersection of two boxes (0 when they do not meet). */
export const overlapArea = (a: Readonly<Box>, b: Readonly<Box>): number =>
  Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
