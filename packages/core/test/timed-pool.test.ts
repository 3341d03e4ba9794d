import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { RocheError, setThreadNice, TimedThreadPool } from '../src/index.js';

type Q = { spinMs: number; value: number; fail?: boolean; exit?: boolean; whoami?: boolean; bytes?: Uint8Array; retire?: boolean };
const SPIN = new URL('./fixtures/spin-thread.ts', import.meta.url);
const code = (p: Promise<unknown>) =>
  p.then(
    (v) => `ok ${String(v)}`,
    (e: RocheError) => `${e.code}${e.retryable ? ' retryable' : ''}`,
  );

describe('TimedThreadPool', () => {
  let pool: TimedThreadPool<Q, number> | undefined;
  afterEach(() => pool?.close());
  const make = (threads: number, timeoutMs: number, module = SPIN, loadTimeoutMs?: number, background?: boolean, idleMs?: number) =>
    (pool = new TimedThreadPool<Q, number>(module, {
      threads,
      timeoutMs,
      loadTimeoutMs,
      background,
      idleMs,
      name: 'spin',
      timeoutError: (what, ms) => new RocheError('corrupt_document', `${what} ran past ${ms} ms`, { retryable: false }),
    }));

  it('answers requests on its threads, in parallel, with errors keeping their stable code', async () => {
    const p = make(2, 30_000);
    const answers = await Promise.all([1, 2, 3, 4].map((value) => p.run({ spinMs: 50, value }, `request ${value}`)));
    expect(answers).toEqual([2, 4, 6, 8]);
    expect(p.size).toBe(2);
    expect(await code(p.run({ spinMs: 0, value: 5, fail: true }, 'bad'))).toBe('validation_failed');
  });

  it('stops a request that runs past the time limit, replaces its thread, and sends the requests queued behind it elsewhere', async () => {
    const p = make(1, 500);
    // One thread: the second request waits behind the first; waiting is not timed, working is.
    const [slow, queued] = [p.run({ spinMs: 60_000, value: 1 }, 'the slow one'), p.run({ spinMs: 100, value: 2 }, 'the queued one')];
    const t0 = Date.now();
    await expect(slow).rejects.toThrow(/the slow one ran past 500 ms/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(await code(slow)).toBe('corrupt_document');
    expect(await queued).toBe(4);
    expect(await p.run({ spinMs: 0, value: 3 }, 'after')).toBe(6);
    expect(p.size).toBe(1);
  });

  it('a stuck request holds only its own thread: the requests after it run on the others', async () => {
    const p = make(2, 20_000);
    const slow = p.run({ spinMs: 60_000, value: 1 }, 'the stuck one');
    slow.catch(() => {});
    const quick = Promise.all([2, 3, 4].map((value) => p.run({ spinMs: 50, value }, `quick ${value}`)));
    const first = await Promise.race([
      quick.then(() => 'quick'),
      slow.then(
        () => 'stuck',
        () => 'stuck',
      ),
    ]);
    expect(first).toBe('quick');
    expect(await quick).toEqual([4, 6, 8]);
  });

  it('a thread that dies fails its current request as retryable and the pool goes on', async () => {
    const p = make(1, 30_000);
    const died = p.run({ spinMs: 0, value: 1, exit: true }, 'the fatal one');
    expect(await code(died)).toBe('internal retryable');
    // It had begun the request (not the path of a thread that never loads).
    await expect(died).rejects.toThrow(/exited with code 3.* on the fatal one/);
    expect(await p.run({ spinMs: 0, value: 7 }, 'next')).toBe(14);
  });

  it('a thread that never finishes loading fails its requests after the load limit', async () => {
    const stuck = make(1, 30_000, new URL('./fixtures/stuck-thread.ts', import.meta.url), 1_500);
    const e = await stuck.run({ spinMs: 0, value: 1 }, 'page 1').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'internal', retryable: true });
    expect(String((e as Error).message)).toMatch(/did not load within 1.5 s before it began page 1/);
    expect(stuck.size).toBe(0);
  });

  it('a thread whose module cannot load fails the requests with its error instead of respawning for ever', async () => {
    const broken = make(1, 30_000, new URL('./fixtures/broken-thread.ts', import.meta.url));
    const e = await broken.run({ spinMs: 0, value: 1 }, 'page 1').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'internal', retryable: true });
    expect(String((e as Error).message)).toMatch(/cannot load the model.*before it began page 1/);
  });

  it('starts background threads at the nice value set for bulk work, leaving the calling thread and other pools as they were', async () => {
    const before = os.getPriority();
    expect(() => setThreadNice(20)).toThrow(RangeError);
    setThreadNice(7);
    try {
      const p = make(1, 30_000, new URL('./fixtures/priority-thread.ts', import.meta.url), undefined, true);
      // Linux applies nice per thread; elsewhere the value is not applied (it would lower the whole process).
      expect(await p.run({ spinMs: 0, value: 0 }, 'priority')).toBe(process.platform === 'linux' ? Math.max(7, before) : before);
      expect(os.getPriority()).toBe(before);
      await p.close();
      // A pool that is not background work (rendering, resizing: they feed a GPU) keeps the process's priority.
      const fg = make(1, 30_000, new URL('./fixtures/priority-thread.ts', import.meta.url));
      expect(await fg.run({ spinMs: 0, value: 0 }, 'priority')).toBe(before);
      await fg.close();
    } finally {
      setThreadNice(0);
    }
    // Threads started afterwards keep the process's priority.
    const q = make(1, 30_000, new URL('./fixtures/priority-thread.ts', import.meta.url), undefined, true);
    expect(await q.run({ spinMs: 0, value: 0 }, 'priority')).toBe(before);
  });

  it('prestarts its threads: loaded and idle they outlive the load limit; one that never loads is ended by it', async () => {
    const p = make(2, 30_000, SPIN, 1_500);
    p.prestart();
    expect(p.size).toBe(2);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(p.size).toBe(2);
    expect(await Promise.all([p.run({ spinMs: 0, value: 1 }, 'a'), p.run({ spinMs: 0, value: 2 }, 'b')])).toEqual([2, 4]);
    expect(p.size).toBe(2);
    await p.close();
    const stuck = make(1, 30_000, new URL('./fixtures/stuck-thread.ts', import.meta.url), 1_500);
    stuck.prestart();
    expect(stuck.size).toBe(1);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(stuck.size).toBe(0);
  });

  it('runs exclusive requests one at a time, others beside them, each on a thread ended afterwards', async () => {
    const p = make(2, 30_000);
    const done: string[] = [];
    const track = (name: string, q: Promise<number>) => q.then((v) => (done.push(name), v));
    const big1 = track('big1', p.run({ spinMs: 600, value: 0, whoami: true }, 'big1', { exclusive: true }));
    const big2 = track('big2', p.run({ spinMs: 10, value: 0, whoami: true }, 'big2', { exclusive: true }));
    const small = track('small', p.run({ spinMs: 10, value: 0, whoami: true }, 'small'));
    const ids = await Promise.all([big1, big2, small]);
    // The small request did not wait behind the second large one, which waited for the first.
    expect(done).toEqual(['small', 'big1', 'big2']);
    // The threads that ran large requests are gone: later requests run elsewhere.
    const later = await Promise.all([1, 2, 3, 4].map(() => p.run({ spinMs: 20, value: 0, whoami: true }, 'later')));
    expect(later.filter((t) => t === ids[0] || t === ids[1])).toEqual([]);
    expect(p.size).toBeLessThanOrEqual(2);
  });

  it('moves transferred buffers to the thread, and ends threads idle longer than idleMs', async () => {
    const p = make(2, 30_000, SPIN, undefined, undefined, 300);
    const bytes = new Uint8Array(1024);
    expect(await p.run({ spinMs: 0, value: 0, bytes }, 'bytes', { transfer: [bytes.buffer] })).toBe(1024);
    expect(bytes.byteLength).toBe(0); // detached here: moved, not copied
    expect(p.size).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(p.size).toBe(0);
    // A fresh thread takes the next request.
    expect(await p.run({ spinMs: 0, value: 4 }, 'again')).toBe(8);
  });

  it('ends a thread that asks to retire after its answer (its state or memory of no further use), and keeps the others', async () => {
    const p = make(1, 30_000);
    const a = await p.run({ spinMs: 0, value: 0, whoami: true }, 'a');
    expect(await p.run({ spinMs: 0, value: 0, whoami: true }, 'same thread')).toBe(a);
    expect(await code(p.run({ spinMs: 0, value: 1, whoami: true, retire: true, fail: true }, 'retiring'))).toBe('validation_failed');
    expect(p.size).toBe(0);
    expect(await p.run({ spinMs: 0, value: 0, whoami: true }, 'after')).not.toBe(a);
  });
});
