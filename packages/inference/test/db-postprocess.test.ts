import { describe, expect, it } from 'vitest';
import { connectedComponents, dbPostprocess } from '../src/text-det/db-postprocess.js';
import { detTargetSize, normalizeToChwBgr } from '../src/text-det/preprocess.js';

function map(w: number, h: number, rects: Array<[number, number, number, number, number]>): Float32Array {
  const m = new Float32Array(w * h);
  for (const [x1, y1, x2, y2, v] of rects) for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) m[y * w + x] = v;
  return m;
}

describe('DB post-processing', () => {
  it('labels 8-connected components', () => {
    // Two diagonal pixels touch (8-connectivity); a far pixel is separate.
    const mask = new Uint8Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    const { labels, count } = connectedComponents(mask, 4, 3);
    expect(count).toBe(2);
    expect(labels[0]).toBe(labels[5]);
    expect(labels[11]).not.toBe(labels[0]);
  });

  it('finds one box per blob, unclipped by area*ratio/perimeter and scaled to the page', () => {
    // A 20×4 blob at (10,10): d = 20*4*1.5 / (2*24) = 2.5 map pixels.
    const prob = map(64, 32, [[10, 10, 30, 14, 0.9]]);
    const lines = dbPostprocess(prob, 64, 32, { ratioW: 2, ratioH: 3, pageWidth: 128, pageHeight: 96 });
    expect(lines).toHaveLength(1);
    const [l] = lines;
    expect(l!.score).toBeCloseTo(0.9, 5);
    expect(l!.box[0]).toBeCloseTo((10 - 2.5) * 2);
    expect(l!.box[1]).toBeCloseTo((10 - 2.5) * 3);
    expect(l!.box[2]).toBeCloseTo((30 + 2.5) * 2);
    expect(l!.box[3]).toBeCloseTo((14 + 2.5) * 3);
  });

  it('drops weak blobs (mean under box threshold), tiny blobs, and clips to the page', () => {
    const prob = map(40, 20, [
      [1, 1, 15, 6, 0.45], // above thresh 0.3 but mean < 0.6
      [20, 2, 22, 4, 0.99], // 2 px tall: under min size
      [30, 10, 40, 20, 0.95], // touches the border: clipped
    ]);
    const lines = dbPostprocess(prob, 40, 20, { ratioW: 1, ratioH: 1, pageWidth: 40, pageHeight: 20 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.box[2]).toBe(40);
    expect(lines[0]!.box[3]).toBe(20);
  });
});

describe('detector preprocessing', () => {
  it('limits the longest side and rounds to multiples of 32', () => {
    expect(detTargetSize(850, 1100, 960)).toEqual({ width: 736, height: 960 });
    expect(detTargetSize(100, 50, 960)).toEqual({ width: 96, height: 64 });
    expect(detTargetSize(10, 10, 960)).toEqual({ width: 32, height: 32 });
  });

  it('enlarges a small page to the minimum side, at most twice', () => {
    // A PubLayNet page (601×792) goes up to 1100 on its long side; a DocBank page (850×1100) stays.
    expect(detTargetSize(601, 792, 1280, 1100)).toEqual({ width: 832, height: 1088 });
    expect(detTargetSize(850, 1100, 1280, 1100)).toEqual({ width: 864, height: 1088 });
    expect(detTargetSize(64, 48, 1280, 1100)).toEqual({ width: 128, height: 96 });
    expect(detTargetSize(2550, 3300, 1280, 1100)).toEqual({ width: 992, height: 1280 });
  });

  it('normalizes to BGR CHW with ImageNet mean/std', () => {
    const t = normalizeToChwBgr(new Uint8Array([255, 0, 51]), 1, 1);
    expect(t[0]).toBeCloseTo((51 / 255 - 0.485) / 0.229); // B plane first
    expect(t[1]).toBeCloseTo((0 - 0.456) / 0.224);
    expect(t[2]).toBeCloseTo((1 - 0.406) / 0.225);
  });
});
