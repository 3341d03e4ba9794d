import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  RocheError,
  SharedBufferPool,
  threadBootstrap,
  type DocumentType,
  type ErrorCode,
  type PageTextLayer,
  type RgbImage,
} from '@roche/core';
import { checkPageIndex, openDocument, type DocumentLimits, type OpenedDocument } from './open-document.js';
import { RETIRE_HEAP_BYTES } from './pdfium.js';
import type { RenderRequest } from './render-thread.js';

type Reply = {
  id: number;
  /** The thread began work on this request (the time limit starts); the answer follows. */
  started?: boolean;
  sizes?: Uint32Array;
  width?: number;
  height?: number;
  data?: Uint8Array;
  layer?: PageTextLayer | null;
  /** The thread's PDFium heap after the request, in bytes. */
  heap?: number;
  error?: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    status: number;
    retryable: boolean;
    range: boolean;
    open: boolean;
    fatal?: boolean;
  };
};

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
  /** What was asked, for the error if the thread never answers ("page 3", "opening the document"). */
  what: string;
}

interface Slot {
  worker: Worker;
  /** Requests waiting for an answer. */
  pending: Map<number, Pending>;
  /** The request the thread said it began and has not answered yet. */
  current?: number;
  /** Fires when the thread has worked on its current request for longer than the pool allows. */
  watchdog?: NodeJS.Timeout;
  /** Documents open on this thread. */
  docs: Set<number>;
  /**
   * A large document was opened here, or a page made PDFium's heap large (over `retireHeapBytes`):
   * the WebAssembly heap never shrinks, so the thread ends once idle and a fresh one takes its place.
   */
  grown: boolean;
  dead: boolean;
  /** Ends the thread, failing its other requests as retryable. */
  kill?: (why: string) => void;
}

// The production build rewrites this URL to the bundled thread module (scripts/build.ts).
const THREAD_MODULE = new URL('./render-thread.ts', import.meta.url).href;

/**
 * Rendered pages' buffers kept for the next pages, at most this many bytes. A fresh 5.8 MB buffer
 * per 144-dpi page (transferred from the thread) made V8 run a full collection of the event loop's
 * heap every ten pages or so — 15-18 % of a worker's main thread; reused shared buffers allocate nothing.
 */
const SPARE_BYTES = 192 * 1024 * 1024;
/** Larger pages (a 600-dpi poster) are rare: they are not rendered into shared buffers (see renderPage). */
export const SPARE_PAGE_BYTES = 32 * 1024 * 1024;
const pools = new Set<RenderPool>();

/**
 * The caller is done with a page `RenderPool` rendered (analyzed, drawn, stored): its buffer is
 * reused for another page, so nothing may read `image` afterwards. Other images are left alone.
 */
export function recyclePage(image: RgbImage): void {
  for (const p of pools) if (p.recycle(image.data.buffer)) return;
}

/**
 * PDFs above this size are rendered by one thread only: each thread that renders a document holds
 * its own copy in its WebAssembly heap.
 */
export const SPREAD_LIMIT_BYTES = 32 * 1024 * 1024;

/** How long one page may render (or a document open) before its thread is stopped (ROCHE_RENDER_TIMEOUT_MS). */
export const DEFAULT_RENDER_TIMEOUT_MS = 30_000;

/**
 * After this many pages of one opened document ran out of time, its other pages fail at once: a
 * PDF of a thousand pages that each take forever would otherwise hold a thread for hours.
 */
export const SLOW_PAGES_PER_DOCUMENT = 2;

/** A page (or document) took longer than the pool allows; its thread was stopped. */
export class RenderTimeout extends RocheError {
  constructor(what: string, ms: number) {
    super('corrupt_document', `${what} took over ${ms / 1000} s to render and was stopped; the drawing is too complex`, {
      retryable: false,
    });
  }
}

/**
 * PDF pages rendered on worker threads. PDFium is synchronous WebAssembly: on the event loop a
 * 144-dpi page blocks it for ~20 ms, which in a worker also delays gRPC, Redis, lock renewals and
 * every other page (it was 45 % of a worker's main thread on the simulated GPU). Each thread
 * opens a document the first time it is asked for one of its pages, so the pages of one document
 * render in parallel; a page goes to the thread with the fewest requests waiting. Pixels are
 * written into shared buffers the pool reuses once the caller hands a page back (`recyclePage`).
 * A thread that dies fails only its requests in flight (retryable); the documents it held reopen
 * on another thread. A thread that works on one request longer than `timeoutMs` (a hostile PDF can
 * make PDFium draw for hours) is stopped: that page fails for good, the others on the thread are
 * tried again. PDFium cannot be interrupted from its own thread, so in-process rendering
 * (ROCHE_RENDER_THREADS=0) has no such limit. Raster documents need no pool: sharp decodes them
 * off the event loop already.
 */
export class RenderPool {
  private readonly slots: Slot[] = [];
  private seq = 1;
  private docSeq = 1;
  private closed = false;
  private readonly buffers = new SharedBufferPool(SPARE_BYTES, SPARE_PAGE_BYTES);

  constructor(
    readonly threads: number,
    readonly timeoutMs = DEFAULT_RENDER_TIMEOUT_MS,
    readonly retireHeapBytes = RETIRE_HEAP_BYTES,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a render pool needs at least one thread, not ${threads}`);
    if (!(timeoutMs > 0)) throw new RangeError(`a render time limit must be positive, not ${timeoutMs}`);
    pools.add(this);
  }

  private static pools = new Map<string, RenderPool>();
  /** One pool per thread count and time limit per process, shared by every caller that asks. */
  static shared(threads = Math.min(4, os.availableParallelism()), timeoutMs = DEFAULT_RENDER_TIMEOUT_MS): RenderPool {
    const key = `${threads}/${timeoutMs}`;
    let p = RenderPool.pools.get(key);
    if (!p) RenderPool.pools.set(key, (p = new RenderPool(threads, timeoutMs)));
    return p;
  }

  /** `openDocument`, with PDF pages rendered (and text layers read) on the pool's threads. */
  async open(bytes: Buffer, type: DocumentType, limits: DocumentLimits): Promise<OpenedDocument> {
    if (type !== 'pdf') return openDocument(bytes, type, limits);
    if (this.closed) throw new Error('render pool is closed');
    const doc = this.docSeq++;
    const spread = bytes.length <= SPREAD_LIMIT_BYTES;
    const first = this.pick();
    const { sizes } = await this.call(first, { op: 'open', doc, page: 0, bytes: copy(bytes), limits }, bytes.length);
    const pageCount = sizes!.length / 2;
    let closed = false;
    let slowPages = 0;
    const slots = new Set<Slot>([first]);
    const check = (index: number) => checkPageIndex(index, pageCount, closed);
    const pageSize = (index: number) => {
      check(index);
      return { width: sizes![2 * index]!, height: sizes![2 * index + 1]! };
    };
    // A live thread that has the document open, or (spread, or none left) the least busy one, which opens it.
    const where = (): Slot => {
      for (const s of slots) if (s.dead) slots.delete(s);
      const open = [...slots];
      const chosen = spread || !open.length ? this.pick() : open[0]!;
      slots.add(chosen);
      return chosen;
    };
    const request = async (op: 'render' | 'text', page: number, target?: SharedArrayBuffer): Promise<Reply> => {
      check(page);
      if (slowPages >= SLOW_PAGES_PER_DOCUMENT)
        throw new RocheError(
          'corrupt_document',
          `page ${page + 1} was not rendered: ${slowPages} pages of this document took over ${this.timeoutMs / 1000} s each; the drawing is too complex`,
          { retryable: false },
        );
      const slot = where();
      const needsBytes = !slot.docs.has(doc);
      return this.call(
        slot,
        { op, doc, page, limits, ...(needsBytes ? { bytes: copy(bytes) } : {}), ...(target ? { target } : {}) },
        bytes.length,
      ).catch((e: unknown) => {
        if (e instanceof RenderTimeout) slowPages++;
        throw e;
      });
    };
    const take = (n: number) => this.buffers.tryTake(n);
    const recycle = (b: SharedArrayBuffer) => this.buffers.give(b);
    return {
      type: 'pdf',
      pageCount,
      pageSize,
      async renderPage(index): Promise<RgbImage> {
        const { width, height } = pageSize(index);
        // Over the limit: no buffer; the thread answers with the error. A page too large to keep
        // its buffer for reuse gets none either: the thread transfers a buffer of its own, which V8
        // counts as external memory and collects. Node 20's V8 does not count SharedArrayBuffers
        // when it decides to collect: an audit's 2,000 pages of 4000×4000 pixels (48 MB each) took a
        // worker to 5.3 GB, of 100 megapixels to 11.3 GB. For the same reason a new shared buffer is
        // made only within the pool's budget (`tryTake`), so none is ever dropped for the collector.
        const bytes = width * height * 3;
        const target = width * height <= limits.maxPagePixels && bytes <= SPARE_PAGE_BYTES ? take(bytes) : undefined;
        let r: Reply;
        try {
          r = await request('render', index, target);
        } catch (e) {
          if (target) recycle(target);
          throw e;
        }
        if (r.data) {
          if (target) recycle(target);
          return { data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), width: r.width!, height: r.height! };
        }
        return { data: Buffer.from(target!, 0, r.width! * r.height! * 3), width: r.width!, height: r.height! };
      },
      async textLayer(index) {
        return (await request('text', index)).layer ?? null;
      },
      close: () => {
        if (closed) return;
        closed = true;
        for (const s of slots) this.forget(s, doc);
      },
    };
  }

  /** Takes back a page buffer this pool lent (see `recyclePage`); false if it was not one of them. */
  recycle(b: ArrayBufferLike): boolean {
    return this.buffers.give(b);
  }

  /**
   * The live thread with the fewest requests waiting, spawning one while the pool is below size. A
   * thread marked to retire (`grown`) gets new documents only when no other can take them: under
   * steady load it would otherwise never empty and keep its 1-2 GiB heap.
   */
  private pick(): Slot {
    const live = this.slots.filter((s) => !s.dead);
    const fresh = live.filter((s) => !s.grown);
    const idle = fresh.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (live.length < this.threads) return this.spawn();
    const choice = fresh.length ? fresh : live;
    return choice.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private call(slot: Slot, msg: Omit<Extract<RenderRequest, { id: number }>, 'id'>, size: number): Promise<Reply> {
    if (slot.dead) return Promise.reject(lost('the render thread ended'));
    const id = this.seq++;
    const transfer = msg.bytes ? [msg.bytes.buffer as ArrayBuffer] : [];
    return new Promise<Reply>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, what: msg.op === 'open' ? 'opening the document' : `page ${msg.page + 1}` });
      slot.worker.ref(); // a request in flight keeps the process alive; an idle pool does not
      if (msg.bytes) {
        slot.docs.add(msg.doc);
        if (size > SPREAD_LIMIT_BYTES) slot.grown = true;
      }
      slot.worker.postMessage({ ...msg, id }, transfer);
    }).then((r) => {
      if ((r.heap ?? 0) > this.retireHeapBytes) {
        slot.grown = true;
        this.retireIfDrained(slot);
      }
      if (!r.error) return r;
      const e = r.error;
      // The thread could not open the document: it holds nothing to close, and the next request sends the bytes again.
      if (!e.open) slot.docs.delete(msg.doc);
      // Its PDFium aborted: the thread is of no further use, a fresh one serves the next request.
      if (e.fatal) slot.kill?.('the render thread ended after PDFium aborted on another page');
      if (e.range) throw new RangeError(e.message);
      throw new RocheError(e.code, e.message, { details: e.details, status: e.status, retryable: e.retryable });
    });
  }

  private spawn(): Slot {
    const worker = new Worker(threadBootstrap(THREAD_MODULE), { eval: true, name: 'roche-render' });
    const slot: Slot = { worker, pending: new Map(), docs: new Set(), grown: false, dead: false };
    worker.unref();
    worker.on('message', (r: Reply) => {
      if (r.started) return this.watch(slot, r.id);
      if (r.id === slot.current) {
        clearTimeout(slot.watchdog);
        slot.current = undefined;
      }
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      if (!slot.pending.size) worker.unref();
      p.resolve(r);
    });
    const die = (why: string) => {
      if (slot.dead) return;
      slot.dead = true;
      clearTimeout(slot.watchdog);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const p of slot.pending.values()) p.reject(lost(why));
      slot.pending.clear();
    };
    slot.kill = (why) => {
      die(why);
      this.retire(slot);
    };
    worker.on('error', (e) => die(`the render thread failed: ${e.message}`));
    worker.on('exit', (code) => die(`the render thread exited with code ${code} (out of memory?)`));
    this.slots.push(slot);
    return slot;
  }

  /** Starts the time limit of the request the thread began. */
  private watch(slot: Slot, id: number): void {
    clearTimeout(slot.watchdog);
    slot.current = id;
    slot.watchdog = setTimeout(() => {
      const p = slot.pending.get(id);
      if (!p || slot.dead) return;
      slot.pending.delete(id);
      p.reject(new RenderTimeout(p.what, this.timeoutMs));
      slot.kill?.(`the render thread was stopped: ${p.what} of a document on it ran past the time limit`);
    }, this.timeoutMs);
    slot.watchdog.unref();
  }

  private forget(slot: Slot, doc: number): void {
    if (slot.dead || !slot.docs.delete(doc)) return;
    slot.worker.postMessage({ op: 'close', doc } satisfies RenderRequest);
    this.retireIfDrained(slot);
  }

  /** A thread marked to retire ends once it holds no documents and no requests. */
  private retireIfDrained(slot: Slot): void {
    if (slot.grown && !slot.dead && !slot.docs.size && !slot.pending.size) this.retire(slot);
  }

  private retire(slot: Slot): void {
    slot.dead = true;
    clearTimeout(slot.watchdog);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
  }

  /** Threads alive now (for tests and metrics). */
  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      clearTimeout(s.watchdog);
      for (const p of s.pending.values()) p.reject(new Error('render pool closed'));
      s.pending.clear();
    }
    this.buffers.close();
    pools.delete(this);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const [n, p] of RenderPool.pools) if (p === this) RenderPool.pools.delete(n);
  }
}

/** A copy the thread owns (transferred, not cloned again); the caller keeps its buffer. */
function copy(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes);
}

function lost(why: string): RocheError {
  return new RocheError('internal', `${why}; the page can be tried again`, { retryable: true });
}
