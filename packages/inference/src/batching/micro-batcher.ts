export interface BatcherOptions {
  /** Send as soon as this many items wait (the model's max batch size). */
  maxBatch: number;
  /** Longest an item waits for pages still being prepared before a partial batch goes. */
  maxDelayMs: number;
  /** Items queued or executing at most; further submits wait (backpressure). */
  maxInFlight: number;
  /**
   * Partial batches in flight at once. While that many are out, waiting items stay here and grow
   * into a larger batch instead of queueing in small pieces at the server. Full batches always go.
   * Default: 2 (one executing on the GPU, one queued behind it) while at most one batch's worth of
   * items is in flight, 1 beyond that (see `partialSlots`).
   */
  maxOutstanding?: number;
  /**
   * Longest a partial batch waits for a running batch to return so they can merge (default 1000 ms,
   * several executions of a large batch); after that it queues behind it, so a slow or stuck call
   * does not hold it up for the whole RPC deadline.
   */
  maxHoldMs?: number;
}

export interface BatcherStats {
  batches: number;
  items: number;
  /** Number of batches by size. */
  sizes: Record<number, number>;
  /** Why partial batches went: nothing else was being prepared, or the delay ran out. */
  partial: { idle: number; delay: number };
}

interface Pending<I, O> {
  item: I;
  queuedAt: number;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Gathers items submitted concurrently (pages of different documents) into batches for one model
 * call, and hands each caller its own output, in submission order within a batch.
 *
 * Adaptive: a batch goes as soon as it is full, or as soon as no other item is being prepared
 * (nothing more is on its way, so waiting would only add latency; up to `maxOutstanding` batches
 * may be out then). While items are still being prepared, a partial batch waits for them: as long
 * as an earlier batch is still out (the GPU has work), or else up to `maxDelayMs`.
 */
export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private preparing = 0;
  private outstanding = 0;
  private waiters: Array<() => void> = [];
  private readonly counts: BatcherStats = { batches: 0, items: 0, sizes: {}, partial: { idle: 0, delay: 0 } };

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
    this.preparing++;
    try {
      let item: I;
      try {
        item = await prepare();
      } catch (e) {
        this.preparing--;
        // The last item on its way failed: what waits need not wait for it.
        if (this.preparing === 0 && this.queue.length) this.consider();
        throw e;
      }
      this.preparing--;
      return await new Promise<O>((resolve, reject) => {
        this.queue.push({ item, queuedAt: performance.now(), resolve, reject });
        this.consider();
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

  /** Batch sizes so far, for tests and metrics. */
  stats(): BatcherStats {
    return { ...this.counts, sizes: { ...this.counts.sizes }, partial: { ...this.counts.partial } };
  }

  /**
   * With more items in flight than one batch holds, the items of a running batch come back as new
   * items when it returns, so a partial batch held until then can merge with them; sent at once,
   * it only splits the GPU's work (each execution has a fixed cost), and its items come back as a
   * group of their own, so the split repeats: measured on a GPU-bound cost model with 16 pages in
   * flight, batches of 1 + 7 + 8 or 2 + 6 + 8 for every 16 pages and 0.74-0.78× ideal, against
   * 0.85-0.94× when held. With at most one batch's worth in flight, as for one document's pages at a
   * time, nothing would merge and holding only adds latency (20 % fewer pages/s measured), so one
   * partial batch may queue behind the running one.
   */
  private get partialSlots(): number {
    return this.opts.maxOutstanding === undefined && this.inFlight > this.opts.maxBatch ? 1 : this.partialLimit;
  }

  /** Partial batches that may be out at once when none is held for a merge. */
  private get partialLimit(): number {
    return this.opts.maxOutstanding ?? 2;
  }

  /** Sends what can go now; otherwise makes sure something will send it later. */
  private consider(): void {
    while (this.queue.length >= this.opts.maxBatch) this.send(this.opts.maxBatch, undefined);
    if (!this.queue.length) return this.clearTimer();
    // Nothing more on its way: waiting cannot grow the batch.
    if (this.preparing === 0 && this.outstanding < this.partialSlots) return this.send(this.queue.length, 'idle');
    // More pages are being prepared and the GPU has work, or nothing is but the running batch's items
    // will come back to merge (partialSlots): let the batch grow; a returning batch or the next
    // prepared page calls consider() again. A held batch does not wait for longer than maxHoldMs.
    if (this.outstanding > 0) {
      if (this.preparing === 0 && this.outstanding < this.partialLimit) {
        const held = performance.now() - this.queue[0]!.queuedAt;
        this.timer ??= setTimeout(
          () => {
            this.timer = undefined;
            if (this.queue.length && this.outstanding < this.partialLimit) this.send(this.queue.length, 'delay');
          },
          Math.max(0, (this.opts.maxHoldMs ?? 1000) - held),
        );
      }
      return;
    }
    // The GPU is idle: wait for pages on their way, but not longer than the delay.
    const waited = performance.now() - this.queue[0]!.queuedAt;
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        if (this.queue.length && this.outstanding < this.partialSlots) this.send(this.queue.length, 'delay');
      },
      Math.max(0, this.opts.maxDelayMs - waited),
    );
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(n: number, partial: 'idle' | 'delay' | undefined): void {
    const batch = this.queue.splice(0, n);
    if (!this.queue.length) this.clearTimer();
    this.counts.batches++;
    this.counts.items += batch.length;
    this.counts.sizes[batch.length] = (this.counts.sizes[batch.length] ?? 0) + 1;
    if (partial) this.counts.partial[partial]++;
    this.outstanding++;
    let ran: Promise<O[]>;
    try {
      ran = this.run(batch.map((p) => p.item));
    } catch (e) {
      ran = Promise.reject(e);
    }
    ran
      .then(
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
      )
      .finally(() => {
        this.outstanding--;
        if (this.queue.length) this.consider();
      });
  }
}
