import { expect, it } from 'vitest';
import { OutageBackoff } from '../src/outage-backoff.js';

it('pages failing together in one outage share one pause; the pause doubles only once it has run out, up to 15 s', () => {
  const b = new OutageBackoff();
  // Four pages in work meet the outage within a few milliseconds: one pause of 1 s, not 1, 2, 4, 8.
  expect([b.failed(0), b.failed(10), b.failed(20), b.failed(80)]).toEqual([1000, 990, 980, 920]);
  // The pause ran out and the outage goes on: 2 s, then 4 s, … up to 15 s.
  expect(b.failed(1000)).toBe(2000);
  expect(b.failed(2500)).toBe(500);
  expect([b.failed(3000), b.failed(7000), b.failed(15_000), b.failed(30_000), b.failed(45_000)]).toEqual([
    4000, 8000, 15_000, 15_000, 15_000,
  ]);
  // A job that goes through ends the outage: the next one starts again at 1 s.
  b.succeeded();
  expect(b.failed(50_000)).toBe(1000);
});
