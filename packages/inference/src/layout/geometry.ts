import type { Box } from '@roche/core';

export type { Box };

/** Smallest box holding all of `bs`. */
export const union = (bs: readonly Readonly<Box>[]): Box => [
  Math.min(...bs.map((b) => b[0])),
  Math.min(...bs.map((b) => b[1])),
  Math.max(...bs.map((b) => b[2])),
  Math.max(...bs.map((b) => b[3])),
];
