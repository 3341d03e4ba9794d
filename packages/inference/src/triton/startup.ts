import { RocheError } from '@roche/core';

/**
 * Runs `connect` until it succeeds, retrying retryable errors (server down, model still loading)
 * with growing pauses for up to `waitMs`; anything else, or running out of time, is thrown.
 */
export async function untilAvailable<T>(connect: () => Promise<T>, waitMs: number): Promise<T> {
  const until = Date.now() + waitMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 5000)) {
    try {
      return await connect();
    } catch (e) {
      if (!(e instanceof RocheError && e.retryable) || Date.now() + pause > until) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
