import type { Region } from '@roche/core';
import { orderedRegions } from '../layout/regions.js';
import type { Detection } from './postprocess.js';

/** Post-processed detections → Roche regions under the model's label names. */
export function detectionsToRegions(dets: Detection[], labels: readonly string[]): Region[] {
  return orderedRegions(dets.map((d) => ({ label: labels[d.cls] ?? `class_${d.cls}`, score: d.score, box: d.box })));
}
