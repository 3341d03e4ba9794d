import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../src/batching/micro-batcher.js';

describe('MicroBatcher', () => {
  it('sends full batches at once and the rest after the delay, each caller getting its own result', async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, string>(
      async (xs) => {
        calls.push(xs);
        return xs.map((x) => `r${x}`);
      },
      { maxBatch: 4, maxDelayMs: 20, maxInFlight: 100 },
    );
    const out = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => b.submit(x)));
    expect(out).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it('bounds items in flight: submitters wait while the model is busy', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let active = 0;
    let peak = 0;
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        active += xs.length;
        peak = Math.max(peak, active);
        await gate;
        active -= xs.length;
        return xs;
      },
      { maxBatch: 2, maxDelayMs: 1, maxInFlight: 3 },
    );
    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((x) => b.submit(x)));
    await new Promise((r) => setTimeout(r, 30));
    expect(peak).toBeLessThanOrEqual(3);
    release();
    expect(await all).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts items being prepared towards the bound, and a failed preparation frees its slot', async () => {
    let preparing = 0;
    let peak = 0;
    const b = new MicroBatcher<number, number>(async (xs) => xs.map((x) => x * 10), { maxBatch: 8, maxDelayMs: 1, maxInFlight: 2 });
    const prepare = (x: number) => async () => {
      preparing++;
      peak = Math.max(peak, b.pending, preparing);
      await new Promise((r) => setTimeout(r, 5));
      preparing--;
      if (x === 3) throw new Error('bad page');
      return x;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((x) => b.submitWith(prepare(x))));
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'bad page', 40, 50]);
    expect(b.pending).toBe(0);
  });

  it('fails every item of a failed batch, and a batch whose output count is wrong', async () => {
    const bad = new MicroBatcher<number, number>(
      async () => {
        throw new Error('model down');
      },
      { maxBatch: 2, maxDelayMs: 1, maxInFlight: 10 },
    );
    await expect(Promise.all([bad.submit(1), bad.submit(2)])).rejects.toThrow('model down');
    const short = new MicroBatcher<number, number>(async (xs) => xs.slice(1), { maxBatch: 2, maxDelayMs: 1, maxInFlight: 10 });
    await expect(short.submit(1)).rejects.toThrow(/0 results for a batch of 1/);
  });

  it('sends a lone item at once when nothing else is being prepared, without waiting the delay', async () => {
    const b = new MicroBatcher<number, number>(async (xs) => xs, { maxBatch: 8, maxDelayMs: 3_600_000, maxInFlight: 10 });
    expect(await b.submit(7)).toBe(7);
    expect(await b.submit(8)).toBe(8);
    expect(b.stats()).toEqual({ batches: 2, items: 2, sizes: { 1: 2 }, partial: { idle: 2, delay: 0 } });
  });

  it('waits for items still being prepared, but no longer than the delay', async () => {
    const later = (x: number, ms: number) => () => new Promise<number>((r) => setTimeout(() => r(x), ms));
    const b = new MicroBatcher<number, number>(async (xs) => xs, { maxBatch: 8, maxDelayMs: 10_000, maxInFlight: 10 });
    expect(await Promise.all([b.submit(1), b.submitWith(later(2, 30))])).toEqual([1, 2]);
    expect(b.stats().sizes).toEqual({ 2: 1 });
    expect(b.stats().partial).toEqual({ idle: 1, delay: 0 });

    const impatient = new MicroBatcher<number, number>(async (xs) => xs, { maxBatch: 8, maxDelayMs: 5, maxInFlight: 10 });
    expect(await Promise.all([impatient.submit(1), impatient.submitWith(later(2, 300))])).toEqual([1, 2]);
    expect(impatient.stats().sizes).toEqual({ 1: 2 });
    expect(impatient.stats().partial).toEqual({ idle: 1, delay: 1 });
  });

  it('sends at once when the only other item on its way fails to prepare', async () => {
    const b = new MicroBatcher<number, number>(async (xs) => xs, { maxBatch: 8, maxDelayMs: 3_600_000, maxInFlight: 10 });
    const bad = b.submitWith(() => new Promise<number>((_, rej) => setTimeout(() => rej(new Error('bad page')), 20)));
    expect(await b.submit(1)).toBe(1);
    await expect(bad).rejects.toThrow('bad page');
    expect(b.stats().partial.idle).toBe(1);
  });

  it('holds partial batches while maxOutstanding batches run, then sends what gathered as one batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        calls.push(xs);
        if (calls.length === 1) await gate;
        return xs;
      },
      { maxBatch: 8, maxDelayMs: 1, maxInFlight: 10, maxOutstanding: 1 },
    );
    const first = b.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    const rest = [2, 3, 4].map((x) => b.submit(x));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
    expect(b.stats().sizes).toEqual({ 1: 1, 3: 1 });
  });

  // By default a second partial batch may queue behind a running one only while at most one
  // batch's worth of items is in flight (maxBatch 8 here): beyond that, what returns can merge.
  it.each([
    {
      n: 7,
      before: [
        [1, 2, 3, 4],
        [5, 6, 7],
      ],
      after: [] as number[][],
    },
    { n: 9, before: [[1, 2, 3, 4]], after: [[5, 6, 7, 8, 9]] },
  ])('with $n items in flight by default: $before before the first batch returns', async ({ n, before, after }) => {
    const gates: Array<() => void> = [];
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        calls.push(xs);
        await new Promise<void>((r) => gates.push(r));
        return xs;
      },
      { maxBatch: 8, maxDelayMs: 1, maxInFlight: 64 },
    );
    const first = [1, 2, 3, 4].map((x) => b.submit(x));
    await new Promise((r) => setTimeout(r, 10));
    // The others are prepared together and are all ready at once: nothing else is on its way.
    const rest = Array.from({ length: n - 4 }, (_, i) => b.submitWith(async () => (await new Promise((r) => setTimeout(r, 5)), i + 5)));
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toEqual(before);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await Promise.all([...first, ...rest])).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(calls).toEqual([...before, ...after]);
  });

  it('a partial batch held for a running batch goes after maxHoldMs when that batch does not return', async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        calls.push(xs);
        if (calls.length === 1) await new Promise(() => {}); // a call that never returns
        return xs;
      },
      { maxBatch: 2, maxDelayMs: 1, maxInFlight: 10, maxHoldMs: 50 },
    );
    void b.submit(1);
    void b.submit(2); // a full batch: sent, hangs
    await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    expect(await b.submit(3)).toBe(3); // three in flight, more than a batch: held, then sent
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(calls).toEqual([[1, 2], [3]]);
  });
});
