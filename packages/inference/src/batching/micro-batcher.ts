export interface BatcherOptions {
  /** Send as soon as this many items wait (the model's max batch size). */
  maxBatch: number;
  /** …or when the oldest waiting item has waited this long. */
  maxDelayMs: number;
  /** Items queued or executing at most; further submits wait (backpressure). */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Gathers items submitted concurrently (pages of different documents) into batches for one model
 * call, and hands each caller its own output, in submission order within a batch.
 */
export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  /** Sizes of the batches sent so far (for tests and metrics). */
  readonly sent: number[] = [];

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: BatcherOptions,
  ) {}

  async submit(item: I): Promise<O> {
    return this.submitWith(() => item);
  }

  /**
   * Takes a slot first, then prepares the item: preprocessing (a resized page tensor per item)
   * counts towards `maxInFlight`, so a burst of pages cannot allocate all their tensors before
   * backpressure starts.
   */
  async submitWith(prepare: () => I | Promise<I>): Promise<O> {
    while (this.inFlight >= this.opts.maxInFlight) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
    try {
      const item = await prepare();
      return await new Promise<O>((resolve, reject) => {
        this.queue.push({ item, resolve, reject });
        if (this.queue.length >= this.opts.maxBatch) this.flush();
        else this.timer ??= setTimeout(() => this.flush(), this.opts.maxDelayMs);
      });
    } finally {
      this.inFlight--;
      this.waiters.shift()?.();
    }
  }

  /** Items waiting, being prepared, or in a batch being run. */
  get pending(): number {
    return this.inFlight;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.sent.push(batch.length);
      this.run(batch.map((p) => p.item)).then(
        (outs) => {
          if (outs.length !== batch.length) {
            const e = new Error(`model returned ${outs.length} results for a batch of ${batch.length}`);
            for (const p of batch) p.reject(e);
            return;
          }
          batch.forEach((p, i) => p.resolve(outs[i]!));
        },
        (e) => {
          for (const p of batch) p.reject(e);
        },
      );
    }
  }
}
