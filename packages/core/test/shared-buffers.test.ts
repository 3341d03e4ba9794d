import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../src/shared-buffers.js';

describe('SharedBufferPool', () => {
  it('lends the smallest fitting spare, ties to the most recently returned', () => {
    const pool = new SharedBufferPool(1 << 20);
    const [a, b, c, big] = [pool.take(100), pool.take(100), pool.take(150), pool.take(300)];
    for (const x of [a, b, c, big]) pool.give(x);
    // 100 fits 100 exactly: b was given back after a.
    expect(pool.take(100)).toBe(b);
    expect(pool.take(100)).toBe(a);
    // 300 is more than twice 120: not wasted on it; 150 is the fit.
    expect(pool.take(120)).toBe(c);
    const fresh = pool.take(120);
    expect(fresh).not.toBe(big);
    expect(fresh.byteLength).toBe(120);
    expect(pool.take(200)).toBe(big);
  });

  it('takes back only what it lent, once', () => {
    const pool = new SharedBufferPool(1 << 20);
    const a = pool.take(64);
    expect(pool.give(a)).toBe(true);
    expect(pool.give(a)).toBe(false); // twice: the second is ignored, else two pages would share one buffer
    expect(pool.give(new SharedArrayBuffer(64))).toBe(false); // not the pool's
    expect(pool.give(new ArrayBuffer(64))).toBe(false);
    expect(pool.bytes).toBe(64);
    const x = pool.take(64);
    const y = pool.take(64);
    expect(x).toBe(a);
    expect(y).not.toBe(a);
  });

  it('keeps spares within the total and per-buffer budgets, none after close', () => {
    const pool = new SharedBufferPool(250, 120);
    const [a, b, c, huge] = [pool.take(100), pool.take(100), pool.take(100), pool.take(200)];
    pool.give(huge); // over the per-buffer cap
    pool.give(a);
    pool.give(b);
    pool.give(c); // over the total
    expect(pool.bytes).toBe(200);
    expect([pool.take(100), pool.take(100)].sort()).toEqual([a, b].sort());
    expect(pool.take(100)).not.toBe(c);
    const d = pool.take(100);
    pool.close();
    pool.give(d);
    expect(pool.bytes).toBe(0);
  });

  it('tryTake makes a new buffer only while lent and spare buffers stay within the budget, so it never has one to drop', () => {
    const pool = new SharedBufferPool(100);
    const a = pool.tryTake(60)!;
    expect(a).toBeInstanceOf(SharedArrayBuffer);
    expect(pool.tryTake(50)).toBeUndefined(); // 60 lent + 50 > 100
    const b = pool.tryTake(40)!;
    expect(b.byteLength).toBe(40);
    expect(pool.give(a)).toBe(true);
    expect(pool.tryTake(70)).toBeUndefined(); // no spare fits 70 (60 < 70) and 40 + 60 + 70 > 100
    expect(pool.tryTake(55)).toBe(a); // a spare that fits is always lent
    expect(pool.give(a) && pool.give(b)).toBe(true);
    expect(pool.bytes).toBe(100); // both kept: nothing left to the collector
  });
});
