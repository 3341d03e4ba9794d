/**
 * How long the worker stops taking jobs while Triton, the store or Redis is down: 1 s, doubling to
 * 15 s as the outage lasts. One outage fails every page in work at once; those failures belong to
 * one pause, so only a failure after the pause has run out doubles it. (Counting each one climbed to
 * 8 s within 80 ms when four pages met a full disk together, and the worker then sat idle for 8 s
 * after the disk had room again.)
 */
export class OutageBackoff {
  private waitMs = 0;
  private until = 0;

  constructor(
    private readonly firstMs = 1_000,
    private readonly maxMs = 15_000,
  ) {}

  /** A job met an outage at `now`: how long from now the worker should pause. */
  failed(now = Date.now()): number {
    if (now >= this.until) {
      this.waitMs = Math.min(this.maxMs, Math.max(this.firstMs, this.waitMs * 2));
      this.until = now + this.waitMs;
    }
    return this.until - now;
  }

  /** A job went through: the next outage starts again from the first pause. */
  succeeded(): void {
    this.waitMs = 0;
    this.until = 0;
  }
}
