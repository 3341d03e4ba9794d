import { KeyedSlots, RocheError } from '@roche/core';

/**
 * Open event streams and long-polls of each tenant in this API process. Each holds a connection, a
 * job subscription and reads the job up to four times a second for as long as it stays open, which
 * the request rate limit (counted once, at the start) does not see.
 */
export class StreamSlots {
  private readonly slots: KeyedSlots;

  constructor(readonly perTenant: number) {
    this.slots = new KeyedSlots(perTenant);
  }

  /** Takes a slot for `tenant` or throws `rate_limited`; the returned function gives it back (once). */
  take(tenant: string): () => void {
    const release = this.slots.take(tenant);
    if (!release)
      throw new RocheError('rate_limited', `more than ${this.perTenant} open event streams and long-polls for this tenant`, {
        details: { limit: this.perTenant, retryAfterSeconds: 5 },
      });
    return release;
  }
}
