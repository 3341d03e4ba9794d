import type { Region } from '@roche/core';
import { readingOrder } from '../layout/reading-order.js';
import type { Detection } from './postprocess.js';

/** Post-processed detections → Roche regions: the model's label names, reading order, boxes to 0.1 px. */
export function detectionsToRegions(dets: Detection[], labels: readonly string[]): Region[] {
  const order = readingOrder(dets.map((d) => d.box));
  return order.map((i, rank) => {
    const d = dets[i]!;
    return {
      label: labels[d.cls] ?? `class_${d.cls}`,
      score: Math.min(1, Math.max(0, d.score)),
      box: d.box.map((v) => Math.round(v * 10) / 10) as Region['box'],
      order: rank,
    };
  });
}
