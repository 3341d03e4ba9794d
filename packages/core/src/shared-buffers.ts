/**
 * Reusable `SharedArrayBuffer`s for pixels that worker threads write (rendered pages, resized model
 * inputs). A fresh multi-megabyte buffer per page, transferred from a thread, counts as V8 external
 * memory and made it run full collections of the event loop's heap every few pages (15-25 % of a
 * worker's main thread, measured); a buffer handed back and lent again allocates nothing.
 *
 * Only buffers this pool lent may come back, once each: a second `give` of one buffer, or a buffer
 * from elsewhere, is ignored — two pages sharing one buffer would silently corrupt both.
 */
export class SharedBufferPool {
  private spare: SharedArrayBuffer[] = [];
  private spareBytes = 0;
  private readonly lent = new WeakSet<SharedArrayBuffer>();
  private lentCount = 0;
  private lentBytes = 0;
  private closed = false;

  /**
   * @param maxSpareBytes spares kept for reuse, at most this many bytes in all
   * @param maxBufferBytes buffers larger than this are not kept (rare huge pages would pin memory)
   */
  constructor(
    readonly maxSpareBytes: number,
    readonly maxBufferBytes = maxSpareBytes,
  ) {}

  /**
   * A buffer of at least `n` bytes: the smallest spare that is not wastefully larger (≤ 2n), ties
   * going to the most recently returned (likeliest still in the CPU's cache), or a new one.
   */
  take(n: number): SharedArrayBuffer {
    let best = -1;
    for (let i = this.spare.length - 1; i >= 0; i--) {
      const len = this.spare[i]!.byteLength;
      if (len >= n && len <= 2 * n && (best < 0 || len < this.spare[best]!.byteLength)) best = i;
    }
    let b: SharedArrayBuffer;
    if (best >= 0) {
      b = this.spare.splice(best, 1)[0]!;
      this.spareBytes -= b.byteLength;
    } else b = new SharedArrayBuffer(n);
    this.lent.add(b);
    this.lentCount++;
    this.lentBytes += b.byteLength;
    return b;
  }

  /**
   * `take`, but a new buffer only while the buffers lent and kept stay within `maxSpareBytes` in
   * all; otherwise undefined (the caller uses memory of its own). Buffers taken only this way are
   * never dropped by `give`, so none is left to the garbage collector, which in Node 20 does not count
   * shared buffers when it decides to collect (pages of ever-new sizes each took a fresh one).
   */
  tryTake(n: number): SharedArrayBuffer | undefined {
    const fits = this.spare.some((b) => b.byteLength >= n && b.byteLength <= 2 * n);
    if (!fits && this.lentBytes + this.spareBytes + n > this.maxSpareBytes) return undefined;
    return this.take(n);
  }

  /**
   * Takes back a buffer `take` lent: nothing may read or write it afterwards. Kept for reuse
   * within the budgets, else left to the garbage collector. False, and nothing done, for a buffer
   * this pool did not lend or already took back.
   */
  give(b: ArrayBufferLike): boolean {
    if (!(b instanceof SharedArrayBuffer) || !this.lent.delete(b)) return false;
    this.lentCount--;
    this.lentBytes -= b.byteLength;
    if (this.closed || b.byteLength > this.maxBufferBytes || this.spareBytes + b.byteLength > this.maxSpareBytes) return true;
    this.spare.push(b);
    this.spareBytes += b.byteLength;
    return true;
  }

  /** Buffers lent and not given back (a caller that drops one leaves it counted: a leak shows). */
  get outstanding(): number {
    return this.lentCount;
  }

  /** Bytes held as spares now. */
  get bytes(): number {
    return this.spareBytes;
  }

  /** Drops every spare; buffers given back afterwards are not kept. */
  close(): void {
    this.closed = true;
    this.spare = [];
    this.spareBytes = 0;
  }
}
