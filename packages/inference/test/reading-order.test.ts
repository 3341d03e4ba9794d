import { describe, expect, it } from 'vitest';
import { readingOrder } from '../src/layout/reading-order.js';

type B = [number, number, number, number];

describe('reading order (XY-cut, columns first)', () => {
  it('reads a title, then the left column top to bottom, then the right column, then a footer', () => {
    const boxes: B[] = [
      [300, 900, 500, 920], // 0 footer (full width band)
      [520, 100, 900, 300], // 1 right top
      [100, 100, 480, 300], // 2 left top
      [100, 20, 900, 60], // 3 title
      [520, 320, 900, 600], // 4 right bottom
      [100, 320, 480, 600], // 5 left bottom
    ];
    expect(readingOrder(boxes)).toEqual([3, 2, 5, 1, 4, 0]);
  });

  it('keeps single-column order by vertical position', () => {
    const boxes: B[] = [
      [50, 300, 500, 350],
      [50, 100, 500, 150],
      [50, 200, 500, 250],
    ];
    expect(readingOrder(boxes)).toEqual([1, 2, 0]);
  });

  it('returns every index exactly once, even for overlapping boxes with no cut', () => {
    const boxes: B[] = [
      [0, 0, 100, 100],
      [50, 50, 150, 150],
      [20, 80, 120, 200],
    ];
    const o = readingOrder(boxes);
    expect([...o].sort()).toEqual([0, 1, 2]);
    expect(o[0]).toBe(0);
  });
});
