import os from 'node:os';
import { SharedBufferPool, threadBootstrap } from '@roche/core';
import { Worker } from 'node:worker_threads';
import type { ResizeTask } from './resize-worker.js';

interface Job {
  task: ResizeTask;
  out: Uint8Array;
  resolve: (out: Uint8Array) => void;
  reject: (e: Error) => void;
}

/**
 * The INTER_CUBIC port (./cv-resize.ts) on worker threads: page preprocessing is the client's
 * largest CPU cost, and on the event loop it stalls gRPC, timers and every other job. Each task
 * copies the page into the thread's SharedArrayBuffer (one memcpy; a thread works on one page at a
 * time; a page already in shared memory is read in place) and the thread writes the 640×640 result
 * into a shared buffer the pool lends. `recycle` hands that buffer back once the request holding it
 * has been sent: a fresh 1.2 MB buffer per page (transferred from the thread) counted as external
 * memory and had V8 run a full mark-compact of the client every ~150 ms, a quarter of its main thread.
 * Threads are unref'd, so an idle pool never keeps a process alive.
 */
export class ResizePool {
  private readonly workers: Array<{ w: Worker; busy: boolean; input: SharedArrayBuffer }> = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, Job & { slot: number }>();
  private seq = 0;
  private closed = false;
  /** Spare output buffers kept for reuse, at most (a batch of 8 model inputs is 9.4 MiB). */
  static readonly SPARE_BYTES = 64 * 2 ** 20;

  /** Output buffers lent for results and given back by `recycle`. */
  private readonly buffers = new SharedBufferPool(ResizePool.SPARE_BYTES);
  private readonly module: string;

  constructor(readonly threads: number) {
    // The worker is TypeScript, like the rest of Roche, which always runs through tsx: load tsx's
    // ESM hooks in the thread first (workers do not inherit them from `tsx` or vitest).
    // The production build rewrites this URL to the bundled thread module (scripts/build.ts).
    this.module = new URL('./resize-worker.ts', import.meta.url).href;
    for (let i = 0; i < threads; i++) this.workers.push(this.spawn(i));
  }

  private spawn(i: number): { w: Worker; busy: boolean; input: SharedArrayBuffer } {
    const w = new Worker(threadBootstrap(this.module), { eval: true, name: `roche-resize-${i}` });
    w.unref();
    w.on('message', (m: { id: number; error?: string }) => this.done(m));
    w.on('error', (e) => this.fail(w, e));
    w.on('exit', (code) => this.fail(w, new Error(`resize thread exited with code ${code}`)));
    return { w, busy: false, input: new SharedArrayBuffer(0) };
  }

  private static pools = new Map<number, ResizePool>();
  /** One pool per thread count per process, shared by every engine that asks. */
  static shared(threads = Math.min(4, os.availableParallelism())): ResizePool {
    let p = ResizePool.pools.get(threads);
    if (!p) ResizePool.pools.set(threads, (p = new ResizePool(threads)));
    return p;
  }

  /**
   * `resizeCubicCv` on a pool thread. The result lives in a buffer the pool lends: pass it to
   * `recycle` once nothing reads it any more (or drop it, and the garbage collector takes it).
   */
  resize(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, cn = 3): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('resize pool is closed'));
    return new Promise((resolve, reject) => {
      const out = this.lend(dw * dh * cn);
      this.queue.push({ task: { id: this.seq++, src, sw, sh, dw, dh, cn, out }, out, resolve, reject });
      this.dispatch();
    });
  }

  private lend(n: number): Uint8Array {
    return new Uint8Array(this.buffers.take(n), 0, n);
  }

  /**
   * Gives back a result of `resize` for reuse. The caller must not read it afterwards: the next
   * page's pixels are written there. Arrays the pool did not lend, or gave back already, are ignored.
   */
  recycle(result: Uint8Array): void {
    this.buffers.give(result.buffer);
  }

  /** Results lent by `resize` and not recycled yet. */
  get lent(): number {
    return this.buffers.outstanding;
  }

  private dispatch(): void {
    for (let i = 0; i < this.workers.length && this.queue.length; i++) {
      const slot = this.workers[i]!;
      if (slot.busy) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      // A busy thread holds the process open (its result is awaited); an idle one does not.
      slot.w.ref();
      this.running.set(job.task.id, { ...job, slot: i });
      // The page goes through the thread's own shared buffer: one copy, no serialization.
      const { src, ...rest } = job.task;
      // (`out` is shared memory: posting it lends it, nothing is copied.)
      // A page in shared memory (RenderPool) is read where it is.
      if (src.buffer instanceof SharedArrayBuffer) {
        slot.w.postMessage(job.task);
        continue;
      }
      if (slot.input.byteLength < src.byteLength) slot.input = new SharedArrayBuffer(Math.ceil(src.byteLength * 1.25));
      new Uint8Array(slot.input, 0, src.byteLength).set(src);
      slot.w.postMessage({ ...rest, src: new Uint8Array(slot.input, 0, src.byteLength) });
    }
  }

  private done(m: { id: number; error?: string }): void {
    const job = this.running.get(m.id);
    if (!job) return;
    this.running.delete(m.id);
    const slot = this.workers[job.slot]!;
    slot.busy = false;
    slot.w.unref();
    if (m.error === undefined) job.resolve(job.out);
    else (this.recycle(job.out), job.reject(new Error(m.error)));
    this.dispatch();
  }

  /** A thread died (out of memory, a bug): its page fails, a fresh thread takes its place. */
  private fail(w: Worker, e: Error): void {
    const slot = this.workers.findIndex((s) => s.w === w);
    if (slot < 0 || this.closed) return;
    for (const [id, job] of this.running) if (job.slot === slot) (this.running.delete(id), job.reject(e));
    this.workers[slot] = this.spawn(slot);
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('resize pool closed'));
    this.buffers.close();
    await Promise.all(this.workers.map((s) => s.w.terminate()));
    for (const [k, p] of ResizePool.pools) if (p === this) ResizePool.pools.delete(k);
  }
}
