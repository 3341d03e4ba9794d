import { Worker } from 'node:worker_threads';
import { RocheError, threadBootstrap, type Config, type DocumentType, type ErrorCode, type JobOptions } from '@roche/core';

/** A document to check: small ones travel as bytes, large ones as a staged file the thread reads itself. */
export type IntakeSource = { bytes: Buffer } | { file: string; size: number };

interface Task {
  id: number;
  msg: Record<string, unknown>;
  large: boolean;
  transfer: ArrayBuffer[];
  resolve: (pages: number[]) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy?: Task;
  idleTimer?: NodeJS.Timeout;
  /** Stops the thread when its document takes longer than the pool allows. */
  watchdog?: NodeJS.Timeout;
}

// The production build rewrites this URL to the bundled thread module (scripts/build.ts).
const THREAD_MODULE = new URL('./intake-thread.ts', import.meta.url).href;

/** Documents above this size run one at a time, on a thread that is ended afterwards (a WebAssembly heap never shrinks). */
export const LARGE_DOCUMENT_BYTES = 16 * 1024 * 1024;
const IDLE_MS = 30_000;

/** How long opening one document and counting its pages may take at submit (ROCHE_INTAKE_TIMEOUT_MS). */
export const DEFAULT_INTAKE_TIMEOUT_MS = 60_000;

/**
 * A bounded pool of worker threads that open documents at submit (count pages, check limits), so
 * a 200 MB PDF parsed by PDFium never stalls the API's event loop. At most `size` documents are
 * open at once, and at most one large one, which bounds the memory intake can take.
 */
export class IntakePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private largeRunning = false;
  private closed = false;

  constructor(
    private readonly limits: Config['limits'],
    private readonly size = 2,
    private readonly timeoutMs = DEFAULT_INTAKE_TIMEOUT_MS,
  ) {}

  selectPages(source: IntakeSource, type: DocumentType, options?: JobOptions): Promise<number[]> {
    if (this.closed) return Promise.reject(new Error('intake pool is closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      let msg: Record<string, unknown>;
      let transfer: ArrayBuffer[] = [];
      let large: boolean;
      if ('bytes' in source) {
        // A copy the thread owns (transferred, not cloned again); the caller keeps its buffer.
        const copy = new Uint8Array(source.bytes);
        msg = { id, bytes: copy, type, limits: this.limits, options };
        transfer = [copy.buffer];
        large = source.bytes.length > LARGE_DOCUMENT_BYTES;
      } else {
        msg = { id, file: source.file, type, limits: this.limits, options };
        large = source.size > LARGE_DOCUMENT_BYTES;
      }
      this.queue.push({ id, msg, large, transfer, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(threadBootstrap(THREAD_MODULE, { background: true }), { eval: true });
    const slot: Slot = { worker };
    worker.unref();
    worker.on(
      'message',
      (m: {
        id: number;
        started?: boolean;
        pages?: number[];
        error?: { code: ErrorCode; message: string; details?: unknown; status: number };
      }) => {
        const task = slot.busy;
        if (!task || task.id !== m.id) return;
        if (m.started) return this.watch(slot, task);
        clearTimeout(slot.watchdog);
        slot.busy = undefined;
        if (m.error) task.reject(new RocheError(m.error.code, m.error.message, { details: m.error.details, status: m.error.status }));
        else task.resolve(m.pages!);
        this.release(slot, task);
      },
    );
    worker.on('error', (e) => {
      const task = slot.busy;
      slot.busy = undefined;
      this.drop(slot);
      task?.reject(new RocheError('internal', `document intake thread failed: ${e.message}`, { cause: e }));
      if (task?.large) this.largeRunning = false;
      this.pump();
    });
    worker.on('exit', () => {
      const task = slot.busy;
      this.drop(slot);
      if (task) {
        task.reject(new RocheError('internal', 'document intake thread exited (out of memory?)'));
        if (task.large) this.largeRunning = false;
      }
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  /**
   * The thread began `task` (PDFium loaded): its time limit runs from now. A hostile document can
   * take minutes to open (a TIFF of thousands of mixed-size pages did, O(pages²) in libtiff, before
   * tiff-pages.ts; a parser's next slow path is not known yet): past the limit its thread is
   * stopped, so a few such uploads cannot hold every intake thread and stall all submits.
   */
  private watch(slot: Slot, task: Task): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = setTimeout(() => {
      if (slot.busy !== task) return;
      slot.busy = undefined;
      this.retire(slot);
      if (task.large) this.largeRunning = false;
      task.reject(
        new RocheError(
          'corrupt_document',
          `the document took over ${this.timeoutMs / 1000} s to open and count its pages; it is too complex`,
        ),
      );
      this.pump();
    }, this.timeoutMs);
    slot.watchdog.unref();
  }

  private drop(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    clearTimeout(slot.watchdog);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private retire(slot: Slot): void {
    this.drop(slot);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
  }

  private release(slot: Slot, task: Task): void {
    if (task.large) {
      this.largeRunning = false;
      // Free the thread's WebAssembly heap, grown to the document's size.
      this.retire(slot);
    } else {
      slot.idleTimer = setTimeout(() => {
        if (!slot.busy) this.retire(slot);
      }, IDLE_MS);
      slot.idleTimer.unref();
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length) {
      const i = this.queue.findIndex((t) => !t.large || !this.largeRunning);
      if (i < 0) return;
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const [task] = this.queue.splice(i, 1) as [Task];
      if (task.large) this.largeRunning = true;
      clearTimeout(slot.idleTimer);
      slot.busy = task;
      slot.worker.postMessage(task.msg, task.transfer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('intake pool closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
