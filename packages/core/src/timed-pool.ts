import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';
import { RocheError, toRocheError, type ErrorCode } from './errors.js';
import { threadBootstrap } from './threads.js';

/** Messages between a `TimedThreadPool` and its threads. */
type Request<Q> = { id: number; req: Q };
type Reply<A> =
  | { ready: true }
  | { id: number; started: true }
  | { id: number; ok: A; retire?: boolean }
  | { id: number; error: { code: ErrorCode; message: string; details?: unknown; status: number; retryable: boolean }; retire?: boolean };

interface Pending<Q, A> {
  req: Q;
  what: string;
  resolve: (a: A) => void;
  reject: (e: Error) => void;
  transfer: TransferListItem[];
  exclusive: boolean;
}

export interface RunOptions {
  /** Moved to the thread, not copied (the caller gives them up). */
  transfer?: TransferListItem[];
  /**
   * A large request: one at a time among such requests, on a thread ended afterwards, since a
   * WebAssembly heap grown for it never shrinks. Others keep running beside it.
   */
  exclusive?: boolean;
}

interface Slot<Q, A> {
  worker: Worker;
  /** The request the thread was given and has not answered yet (one at a time). */
  current?: { id: number; p: Pending<Q, A> };
  /** Ends the thread once it has waited `idleMs` for work. */
  idleTimer?: NodeJS.Timeout;
  /** The load limit until the thread begins its first request, then the current request's time limit. */
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
  /** Given to every thread as `workerData` (structured-cloned): settings its module reads at load. */
  workerData?: unknown;
  /** Background bulk work: the threads run at the `setThreadNice` priority. */
  background?: boolean;
  /** Threads that wait this long for work are ended, their memory returned (default: kept). */
  idleMs?: number;
}

/**
 * Synchronous work (pure JavaScript that cannot be interrupted where it runs) on worker threads,
 * each request under a time limit: a thread still on one request after `timeoutMs` is terminated
 * and replaced, and that request fails with `timeoutError`. Requests wait in one queue and a thread
 * gets the next when it is free (spawned while the pool is below size), so a stuck thread delays
 * nothing else. A thread that dies fails the request it was on (retryable: it may have been the
 * thread, not the request); one that never loads fails the request it was given. The module the
 * threads run calls `serveRequests`.
 */
export class TimedThreadPool<Q, A> {
  private readonly slots: Array<Slot<Q, A>> = [];
  private readonly queue: Array<Pending<Q, A>> = [];
  private readonly module: string;
  private seq = 1;
  private closed = false;
  private exclusiveRunning = false;

  constructor(
    module: URL,
    readonly opts: TimedPoolOptions,
  ) {
    if (!Number.isInteger(opts.threads) || opts.threads < 1)
      throw new RangeError(`a thread pool needs at least one thread, not ${opts.threads}`);
    if (!(opts.timeoutMs > 0)) throw new RangeError(`a time limit must be positive, not ${opts.timeoutMs}`);
    this.module = module.href;
  }

  /** Runs `req` on a thread; `what` names it in errors. */
  run(req: Q, what: string, opts: RunOptions = {}): Promise<A> {
    if (this.closed) return Promise.reject(new Error(`${this.opts.name} pool is closed`));
    return new Promise<A>((resolve, reject) => {
      this.queue.push({ req, what, resolve, reject, transfer: opts.transfer ?? [], exclusive: opts.exclusive ?? false });
      this.pump();
    });
  }

  /**
   * Starts every thread now, so their modules and models load before the first request rather than
   * on it (a thread that has loaded and waits for work is not timed).
   */
  prestart(): void {
    while (!this.closed && this.slots.length < this.opts.threads) this.spawn();
  }

  /** Threads alive now (for tests and metrics). */
  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error(`${this.opts.name} pool closed`));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      clearTimeout(s.watchdog);
      clearTimeout(s.idleTimer);
      s.current?.p.reject(new Error(`${this.opts.name} pool closed`));
      s.current = undefined;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /**
   * Gives queued requests to free threads in order, spawning threads while the pool is below size;
   * an exclusive request waits while another runs, and those behind it go ahead.
   */
  private pump(): void {
    while (this.queue.length && !this.closed) {
      const i = this.exclusiveRunning ? this.queue.findIndex((q) => !q.exclusive) : 0;
      if (i < 0) return;
      const slot = this.slots.find((s) => !s.current) ?? (this.slots.length < this.opts.threads ? this.spawn() : undefined);
      if (!slot) return;
      const [p] = this.queue.splice(i, 1) as [Pending<Q, A>];
      if (p.exclusive) this.exclusiveRunning = true;
      const id = this.seq++;
      clearTimeout(slot.idleTimer);
      slot.current = { id, p };
      slot.worker.ref(); // work in flight keeps the process alive; an idle pool does not
      slot.worker.postMessage({ id, req: p.req } satisfies Request<Q>, p.transfer);
    }
  }

  /** A request left its thread (answered, failed, timed out, or the thread died). */
  private released(p: Pending<Q, A>): void {
    if (p.exclusive) this.exclusiveRunning = false;
  }

  /** The thread answered and is free: ended after an exclusive request, else timed for idleness. */
  private idle(slot: Slot<Q, A>, p: Pending<Q, A>): void {
    if (p.exclusive) return this.end(slot);
    const idleMs = this.opts.idleMs;
    if (idleMs === undefined) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (!slot.current && !slot.dead) this.end(slot);
    }, idleMs);
    slot.idleTimer.unref();
  }

  private spawn(): Slot<Q, A> {
    const worker = new Worker(threadBootstrap(this.module, { background: this.opts.background }), {
      eval: true,
      name: this.opts.name,
      workerData: this.opts.workerData,
    });
    const slot: Slot<Q, A> = { worker, served: false, dead: false };
    worker.unref();
    worker.on('message', (r: Reply<A>) => {
      if ('ready' in r) {
        // Loaded: an idle thread is not timed; one given a request says 'started' next.
        if (!slot.current) clearTimeout(slot.watchdog);
        return;
      }
      const cur = slot.current;
      if (!cur || cur.id !== r.id) return;
      if ('started' in r) {
        slot.served = true;
        return this.watch(slot, cur);
      }
      clearTimeout(slot.watchdog);
      slot.current = undefined;
      worker.unref();
      this.released(cur.p);
      if (r.retire) this.end(slot);
      else this.idle(slot, cur.p);
      if ('ok' in r) cur.p.resolve(r.ok);
      else cur.p.reject(new RocheError(r.error.code, r.error.message, r.error));
      this.pump();
    });
    const died = (why: string) => {
      if (slot.dead) return;
      const cur = slot.current;
      this.end(slot);
      if (cur) this.released(cur.p);
      // Its request fails (retryable: it may have been the thread). One that never loaded (its module
      // failed or hung) fails the request it was given; a fresh thread gets the next one, so a broken
      // module fails requests one by one, never in a loop.
      if (cur) {
        const message = slot.served ? `${why} on ${cur.p.what}; it can be tried again` : `${why} before it began ${cur.p.what}`;
        cur.p.reject(new RocheError('internal', message, { retryable: true }));
      }
      this.pump();
    };
    // A thread stuck loading (a module that never finishes) would hold its request for ever.
    const loadMs = this.opts.loadTimeoutMs ?? 120_000;
    slot.watchdog = setTimeout(() => died(`the ${this.opts.name} thread did not load within ${loadMs / 1000} s`), loadMs);
    slot.watchdog.unref();
    worker.on('error', (e) => died(`the ${this.opts.name} thread failed (${e.message})`));
    worker.on('exit', (code) => died(`the ${this.opts.name} thread exited with code ${code} (out of memory?)`));
    this.slots.push(slot);
    return slot;
  }

  /** The thread began its request: the time limit runs from now. */
  private watch(slot: Slot<Q, A>, cur: NonNullable<Slot<Q, A>['current']>): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = setTimeout(() => {
      if (slot.dead || slot.current !== cur) return;
      this.end(slot);
      this.released(cur.p);
      cur.p.reject(this.opts.timeoutError(cur.p.what, this.opts.timeoutMs));
      this.pump();
    }, this.opts.timeoutMs);
    slot.watchdog.unref();
  }

  /** Takes the thread out of the pool and stops it. */
  private end(slot: Slot<Q, A>): void {
    slot.dead = true;
    clearTimeout(slot.watchdog);
    clearTimeout(slot.idleTimer);
    slot.current = undefined;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
  }
}

/**
 * The thread side of a `TimedThreadPool`: answers each request with `handle`'s result, or its error
 * with the stable code. Says when it starts each request, so waiting in line is not timed. `retire`,
 * asked after each request (with its error, if it failed), may end the thread once it has answered:
 * its state is of no further use or holds memory it cannot give back (a WebAssembly heap).
 */
export function serveRequests<Q, A>(handle: (req: Q) => A | Promise<A>, opts: { retire?: (error?: unknown) => boolean } = {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs on a worker thread');
  const retire = (e?: unknown) => {
    try {
      return opts.retire?.(e) ?? false;
    } catch {
      return true;
    }
  };
  const one = async (m: Request<Q>) => {
    port.postMessage({ id: m.id, started: true } satisfies Reply<A>);
    try {
      const ok = await handle(m.req);
      port.postMessage({ id: m.id, ok, retire: retire() } satisfies Reply<A>);
    } catch (e) {
      const re = toRocheError(e);
      port.postMessage({
        id: m.id,
        error: { code: re.code, message: re.message, details: re.details, status: re.status, retryable: re.retryable },
        retire: retire(e),
      } satisfies Reply<A>);
    }
  };
  port.postMessage({ ready: true } satisfies Reply<A>);
  // One request at a time even when `handle` is async: the pool times the request the thread last
  // said it started, so two at once would leave the first untimed.
  let chain = Promise.resolve();
  port.on('message', (m: Request<Q>) => {
    chain = chain.then(() => one(m));
  });
}
