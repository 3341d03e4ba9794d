import { parentPort, Worker } from 'node:worker_threads';
import { RocheError, toRocheError, type ErrorCode } from './errors.js';
import { threadBootstrap } from './threads.js';

/** Messages between a `TimedThreadPool` and its threads. */
type Request<Q> = { id: number; req: Q };
type Reply<A> =
  | { id: number; started: true }
  | { id: number; ok: A }
  | { id: number; error: { code: ErrorCode; message: string; details?: unknown; status: number; retryable: boolean } };

interface Pending<Q, A> {
  req: Q;
  what: string;
  resolve: (a: A) => void;
  reject: (e: Error) => void;
}

interface Slot<Q, A> {
  worker: Worker;
  pending: Map<number, Pending<Q, A>>;
  /** The request the thread said it began and has not answered yet. */
  current?: number;
  watchdog?: NodeJS.Timeout;
  /** The thread began at least one request (it loaded). */
  served: boolean;
  dead: boolean;
}

export interface TimedPoolOptions {
  threads: number;
  /** How long a thread may work on one request before it is stopped. */
  timeoutMs: number;
  /** Thread name (shown in diagnostics). */
  name: string;
  /** The error of a request that ran out of time (`what` names it: "page 3"). */
  timeoutError: (what: string, ms: number) => RocheError;
  /** How long a new thread may take to load its module and begin its first request (default 120 s). */
  loadTimeoutMs?: number;
}

/**
 * Synchronous work (pure JavaScript that cannot be interrupted where it runs) on worker threads,
 * each request under a time limit: a thread still on one request after `timeoutMs` is terminated
 * and replaced, that request fails with `timeoutError`, and the others it held are sent to another
 * thread. A thread that dies fails the request it was on (retryable: it may have been the thread,
 * not the request) and hands its other requests on. A request goes to an idle thread, spawning one
 * while the pool is below size, else to the least busy one. The module the threads run calls
 * `serveRequests`.
 */
export class TimedThreadPool<Q, A> {
  private readonly slots: Array<Slot<Q, A>> = [];
  private readonly bootstrap: string;
  private seq = 1;
  private closed = false;

  constructor(
    module: URL,
    readonly opts: TimedPoolOptions,
  ) {
    if (!Number.isInteger(opts.threads) || opts.threads < 1)
      throw new RangeError(`a thread pool needs at least one thread, not ${opts.threads}`);
    if (!(opts.timeoutMs > 0)) throw new RangeError(`a time limit must be positive, not ${opts.timeoutMs}`);
    this.bootstrap = threadBootstrap(module.href);
  }

  /** Runs `req` on a thread; `what` names it in errors. */
  run(req: Q, what: string): Promise<A> {
    if (this.closed) return Promise.reject(new Error(`${this.opts.name} pool is closed`));
    return new Promise<A>((resolve, reject) => this.send(this.pick(), { req, what, resolve, reject }));
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
      for (const p of s.pending.values()) p.reject(new Error(`${this.opts.name} pool closed`));
      s.pending.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private send(slot: Slot<Q, A>, p: Pending<Q, A>): void {
    const id = this.seq++;
    slot.pending.set(id, p);
    slot.worker.ref(); // work in flight keeps the process alive; an idle pool does not
    slot.worker.postMessage({ id, req: p.req } satisfies Request<Q>);
  }

  private pick(): Slot<Q, A> {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.opts.threads) return this.spawn();
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Slot<Q, A> {
    const worker = new Worker(this.bootstrap, { eval: true, name: this.opts.name });
    const slot: Slot<Q, A> = { worker, pending: new Map(), served: false, dead: false };
    worker.unref();
    worker.on('message', (r: Reply<A>) => {
      if ('started' in r) {
        slot.served = true;
        return this.watch(slot, r.id);
      }
      if (r.id === slot.current) {
        clearTimeout(slot.watchdog);
        slot.current = undefined;
      }
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      if (!slot.pending.size) worker.unref();
      if ('ok' in r) p.resolve(r.ok);
      else p.reject(new RocheError(r.error.code, r.error.message, r.error));
    });
    const died = (why: string) => {
      if (slot.dead) return;
      if (!slot.served) {
        // It never began a request (its module failed to load): a fresh thread would fail the same way,
        // so its requests fail instead of going round from thread to thread.
        const waiting = [...slot.pending.values()];
        slot.pending.clear();
        this.end(slot);
        for (const p of waiting) p.reject(new RocheError('internal', `${why} before it began ${p.what}`, { retryable: true }));
        return;
      }
      const current = slot.current !== undefined ? slot.pending.get(slot.current) : undefined;
      this.end(slot);
      current?.reject(new RocheError('internal', `${why} on ${current.what}; it can be tried again`, { retryable: true }));
    };
    // A thread stuck loading (a module that never finishes) would hold its requests for ever.
    const loadMs = this.opts.loadTimeoutMs ?? 120_000;
    slot.watchdog = setTimeout(() => died(`the ${this.opts.name} thread did not load within ${loadMs / 1000} s`), loadMs);
    slot.watchdog.unref();
    worker.on('error', (e) => died(`the ${this.opts.name} thread failed (${e.message})`));
    worker.on('exit', (code) => died(`the ${this.opts.name} thread exited with code ${code} (out of memory?)`));
    this.slots.push(slot);
    return slot;
  }

  /** The thread began request `id`: its time limit runs from now. */
  private watch(slot: Slot<Q, A>, id: number): void {
    clearTimeout(slot.watchdog);
    slot.current = id;
    slot.watchdog = setTimeout(() => {
      const p = slot.pending.get(id);
      if (!p || slot.dead) return;
      this.end(slot);
      p.reject(this.opts.timeoutError(p.what, this.opts.timeoutMs));
    }, this.opts.timeoutMs);
    slot.watchdog.unref();
  }

  /** Takes the thread out of the pool and stops it; its requests other than the current one go to another thread. */
  private end(slot: Slot<Q, A>): void {
    slot.dead = true;
    clearTimeout(slot.watchdog);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const others = [...slot.pending].filter(([id]) => id !== slot.current).map(([, p]) => p);
    slot.pending.clear();
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    for (const p of others) {
      if (this.closed) p.reject(new Error(`${this.opts.name} pool closed`));
      else this.send(this.pick(), p);
    }
  }
}

/**
 * The thread side of a `TimedThreadPool`: answers each request with `handle`'s result, or its error
 * with the stable code. Says when it starts each request, so waiting in line is not timed.
 */
export function serveRequests<Q, A>(handle: (req: Q) => A | Promise<A>): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs on a worker thread');
  const one = async (m: Request<Q>) => {
    port.postMessage({ id: m.id, started: true } satisfies Reply<A>);
    try {
      port.postMessage({ id: m.id, ok: await handle(m.req) } satisfies Reply<A>);
    } catch (e) {
      const re = toRocheError(e);
      port.postMessage({
        id: m.id,
        error: { code: re.code, message: re.message, details: re.details, status: re.status, retryable: re.retryable },
      } satisfies Reply<A>);
    }
  };
  // One request at a time even when `handle` is async: the pool times the request the thread last
  // said it started, so two at once would leave the first untimed.
  let chain = Promise.resolve();
  port.on('message', (m: Request<Q>) => {
    chain = chain.then(() => one(m));
  });
}
