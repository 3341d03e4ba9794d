import { describe, expect, it } from 'vitest';
import { parsePageRange, validatePageRangeSyntax } from '../src/page-range.js';

describe('page ranges', () => {
  it('parses lists, ranges and open ranges into sorted unique pages', () => {
    expect(parsePageRange('1-3,5,9-', 11)).toEqual([1, 2, 3, 5, 9, 10, 11]);
    expect(parsePageRange(' 5 , 1 - 2 ,2', 6)).toEqual([1, 2, 5]);
    expect(parsePageRange('-3', 10)).toEqual([1, 2, 3]);
    expect(parsePageRange('4-4', 4)).toEqual([4]);
    expect(parsePageRange('3-', 3)).toEqual([3]);
    expect(parsePageRange('2-3,1-2,3', 5)).toEqual([1, 2, 3]);
  });

  it.each([
    ['', /empty/],
    ['0', /numbered from 1/],
    ['3-1', /backwards/],
    ['1,,2', /not a page number/],
    ['a-b', /not a page number/],
    ['-', /not a page number/],
    ['1.5', /not a page number/],
    ['1 2', /not a page number/],
    ['1-2-3', /not a page number/],
    ['1,', /not a page number/],
    ['   ', /empty/],
    ['0-3', /numbered from 1/],
    ['2-0', /numbered from 1/],
    ['1–3', /not a page number/], // en dash
  ])('rejects %j', (spec, why) => {
    expect(() => validatePageRangeSyntax(spec)).toThrow(why);
    expect(() => parsePageRange(spec, 10)).toThrow(why);
  });

  it('rejects pages beyond the document with a validation_failed error naming the page count', () => {
    expect(() => parsePageRange('2-4', 3)).toThrow(/has 3 pages/);
    expect(() => parsePageRange('7', 6)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => parsePageRange('9-', 3)).toThrow(/has 3 pages/);
    expect(() => parsePageRange('1-99999999999999999999', 3)).toThrow(/has 3 pages/);
    // Syntax alone cannot know the page count.
    expect(() => validatePageRangeSyntax('9-,1000')).not.toThrow();
  });
});
