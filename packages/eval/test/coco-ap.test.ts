import { describe, expect, it } from 'vitest';
import { averagePrecision, evaluate, iou, type EvalImage } from '../src/coco-ap.js';
import { mapLabel, PUBLAYNET_MAPPING } from '../src/annotations.js';

const B = (x1: number, y1: number, x2: number, y2: number) => [x1, y1, x2, y2] as const;

describe('COCO AP', () => {
  it('computes IoU', () => {
    expect(iou(B(0, 0, 10, 10), B(0, 0, 10, 10))).toBe(1);
    expect(iou(B(0, 0, 10, 10), B(5, 0, 15, 10))).toBeCloseTo(50 / 150);
    expect(iou(B(0, 0, 10, 10), B(20, 20, 30, 30))).toBe(0);
  });

  it('is 1 for perfect detections and 0 for none', () => {
    const img: EvalImage = {
      truth: [{ label: 'text', box: B(0, 0, 10, 10) }],
      predictions: [{ label: 'text', box: B(0, 0, 10, 10), score: 0.9 }],
    };
    expect(averagePrecision([img], 'text', 0.5)).toBe(1);
    expect(averagePrecision([{ ...img, predictions: [] }], 'text', 0.5)).toBe(0);
    expect(averagePrecision([img], 'title', 0.5)).toBeNull();
  });

  it('matches pycocotools on a hand-worked case: 2 truths, a false positive ranked first', () => {
    // Sorted detections: FP (0.9), TP (0.8), TP (0.7) → precision 0, 1/2, 2/3; recall 0, .5, 1.
    // Monotone precision: 2/3 at every recall level 0..1 → AP = 2/3.
    const img: EvalImage = {
      truth: [
        { label: 'text', box: B(0, 0, 10, 10) },
        { label: 'text', box: B(20, 0, 30, 10) },
      ],
      predictions: [
        { label: 'text', box: B(50, 50, 60, 60), score: 0.9 },
        { label: 'text', box: B(0, 0, 10, 10), score: 0.8 },
        { label: 'text', box: B(20, 0, 30, 10), score: 0.7 },
      ],
    };
    expect(averagePrecision([img], 'text', 0.5)).toBeCloseTo(2 / 3, 10);
  });

  it('counts a duplicate detection of one truth as a false positive, and half recall as half AP', () => {
    const img: EvalImage = {
      truth: [
        { label: 'text', box: B(0, 0, 10, 10) },
        { label: 'text', box: B(20, 0, 30, 10) },
      ],
      predictions: [
        { label: 'text', box: B(0, 0, 10, 10), score: 0.9 },
        { label: 'text', box: B(0, 0, 10, 9), score: 0.8 },
      ],
    };
    // Recall reaches 0.5 with precision 1 at the first detection: 51 of 101 recall points.
    expect(averagePrecision([img], 'text', 0.5)).toBeCloseTo(51 / 101, 10);
  });

  it('AP@[.5:.95] punishes loose boxes that AP@0.5 accepts', () => {
    const img: EvalImage = {
      truth: [{ label: 'figure', box: B(0, 0, 100, 100) }],
      predictions: [{ label: 'figure', box: B(0, 0, 100, 140), score: 1 }],
    };
    // IoU = 100*100 / (100*140) = 0.714: passes thresholds .50-.70 (5 of 10).
    const t = evaluate([img], ['figure', 'table']);
    expect(t.perClass.figure!.ap50).toBe(1);
    expect(t.perClass.figure!.ap).toBeCloseTo(0.5, 10);
    expect(t.perClass.table!.ap50).toBeNull();
    expect(t.overall).toEqual({ ap50: 1, ap: 0.5 });
  });

  it('maps PP-DocLayout labels onto PubLayNet classes and drops what it does not annotate', () => {
    const classes = ['text', 'title', 'list', 'table', 'figure'];
    expect(mapLabel('paragraph_title', PUBLAYNET_MAPPING, classes)).toBe('title');
    expect(mapLabel('figure_title', PUBLAYNET_MAPPING, classes)).toBe('text');
    expect(mapLabel('chart', PUBLAYNET_MAPPING, classes)).toBe('figure');
    expect(mapLabel('header', PUBLAYNET_MAPPING, classes)).toBeNull();
    expect(mapLabel('list', {}, classes)).toBe('list');
    expect(mapLabel('weird', {}, classes)).toBeNull();
  });
});
