/**
 * A count of things in use per key (a tenant's open streams, a receiver's deliveries), each key
 * allowed at most `limit` at once (0: no limit). In-process: it bounds what one process holds.
 */
export class KeyedSlots {
  private readonly used = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A function that gives the slot back (once), or null when `key` already has `limit` in use. */
  take(key: string): (() => void) | null {
    const n = this.used.get(key) ?? 0;
    if (this.limit > 0 && n >= this.limit) return null;
    this.used.set(key, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.used.get(key) ?? 1) - 1;
      if (left > 0) this.used.set(key, left);
      else this.used.delete(key);
    };
  }
}

/** A counting semaphore: work beyond `n` at once waits here, in arrival order. */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = Math.max(1, n);
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
