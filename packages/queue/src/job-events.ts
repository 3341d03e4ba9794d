import type { Redis } from 'ioredis';
import type { JobStore } from './job-store.js';

type Listener = (fields: string[]) => void;

/**
 * One Redis subscriber per process, shared by every status stream and long-poll waiting on
 * job changes (a connection per HTTP client would not scale).
 */
export class JobEvents {
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    redis: Redis,
    private readonly jobs: JobStore,
  ) {
    this.sub = redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
    this.sub.on('error', () => {}); // the shared connection's own listener reports outages
    this.sub.on('message', (channel: string, message: string) => {
      let fields: string[] = [];
      try {
        fields = JSON.parse(message) as string[];
      } catch {
        fields = [];
      }
      for (const l of this.listeners.get(channel) ?? []) l(fields);
    });
  }

  /** Calls `listener` with the changed field names on every change of the job. Returns an unsubscribe function. */
  async subscribe(jobId: string, listener: Listener): Promise<() => Promise<void>> {
    const channel = this.jobs.channel(jobId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.sub.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(channel) === set) {
        this.listeners.delete(channel);
        await this.sub.unsubscribe(channel).catch(() => {});
      }
    };
  }

  /**
   * Returns once `done()` holds, on the first change after subscribing, or after `ms`. Subscribes
   * before checking so a change between the check and the wait is never missed.
   */
  async waitForChange(jobId: string, ms: number, done: () => Promise<boolean>): Promise<void> {
    let wake!: () => void;
    const changed = new Promise<void>((r) => (wake = r));
    const unsubscribe = await this.subscribe(jobId, () => wake());
    const timer = setTimeout(() => wake(), ms);
    try {
      if (await done()) return;
      await changed;
    } finally {
      clearTimeout(timer);
      await unsubscribe();
    }
  }

  /**
   * Returns once `done()` holds — checked when subscribed and again after every change whose field
   * names `relevant` accepts — or after `ms`. A long-poll for a job's end wakes on its state
   * changes only, not on each of its pages.
   */
  async waitUntil(jobId: string, ms: number, done: () => Promise<boolean>, relevant: (fields: string[]) => boolean): Promise<void> {
    let wake!: () => void;
    let changed = new Promise<void>((r) => (wake = r));
    let over = false;
    const unsubscribe = await this.subscribe(jobId, (fields) => relevant(fields) && wake());
    const timer = setTimeout(() => ((over = true), wake()), ms);
    try {
      while (!(await done()) && !over) {
        await changed;
        changed = new Promise<void>((r) => (wake = r));
      }
    } finally {
      clearTimeout(timer);
      await unsubscribe();
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.sub.quit().catch(() => this.sub.disconnect());
  }
}
