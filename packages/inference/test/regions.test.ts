import { describe, expect, it } from 'vitest';
import { orderedRegions } from '../src/layout/regions.js';

describe('orderedRegions: the one detections → regions step every engine uses', () => {
  it('numbers regions in reading order, clamps scores and boxes, rounds boxes to 0.1 px', () => {
    const regions = orderedRegions(
      [
        { label: 'text', score: 1.2, box: [520.04, 100, 900, 300] }, // right column
        { label: 'doc_title', score: 0.9, box: [-5, 20, 1200, 60] }, // title, spills over the page
        { label: 'text', score: -0.1, box: [100, 100, 480.26, 300] }, // left column
      ],
      { width: 1000, height: 1000 },
    );
    expect(regions.map((r) => [r.label, r.order])).toEqual([
      ['doc_title', 0],
      ['text', 1],
      ['text', 2],
    ]);
    expect(regions[0]!.box).toEqual([0, 20, 1000, 60]);
    expect(regions[1]).toMatchObject({ score: 0, box: [100, 100, 480.3, 300] });
    expect(regions[2]).toMatchObject({ score: 1, box: [520, 100, 900, 300] });
  });

  it('keeps boxes as given without a page size, and handles no regions', () => {
    expect(orderedRegions([{ label: 'figure', score: 0.5, box: [-3, 0, 10, 10] }])[0]!.box).toEqual([-3, 0, 10, 10]);
    expect(orderedRegions([])).toEqual([]);
  });
});
