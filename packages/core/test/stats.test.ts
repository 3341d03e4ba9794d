import { describe, expect, it } from 'vitest';
import { median, upperMedian } from '../src/stats.js';

describe('median and upperMedian', () => {
  it('agree on odd lengths, differ on even ones, leave the input unsorted', () => {
    const v = [5, 1, 3];
    expect(median(v)).toBe(3);
    expect(upperMedian(v)).toBe(3);
    expect(v).toEqual([5, 1, 3]);
    expect(median([4, 1, 2, 10])).toBe(3);
    expect(upperMedian([4, 1, 2, 10])).toBe(4);
    // Numeric order, not the default string order of Array.prototype.sort.
    expect(median([10, 9, 100])).toBe(10);
  });

  it('are 0 for an empty list', () => {
    expect(median([])).toBe(0);
    expect(upperMedian([])).toBe(0);
  });
});
