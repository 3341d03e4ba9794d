import { RocheError } from '@roche/core';

/**
 * Open event streams and long-polls of each tenant in this API process. Each holds a connection, a
 * job subscription and reads the job up to four times a second for as long as it stays open, which
 * the request rate limit (counted once, at the start) does not see.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perTenant: number) {}

  /** Takes a slot for `tenant` or throws `rate_limited`; the returned function gives it back (once). */
  take(tenant: string): () => void {
    const n = this.open.get(tenant) ?? 0;
    if (this.perTenant > 0 && n >= this.perTenant)
      throw new RocheError('rate_limited', `more than ${this.perTenant} open event streams and long-polls for this tenant`, {
        details: { limit: this.perTenant, retryAfterSeconds: 5 },
      });
    this.open.set(tenant, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.open.get(tenant) ?? 1) - 1;
      if (left > 0) this.open.set(tenant, left);
      else this.open.delete(tenant);
    };
  }
}
