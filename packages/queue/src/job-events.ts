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
  /** Each channel's SUBSCRIBE, until Redis confirmed it: a later subscriber waits for it too. */
  private readonly subscribed = new Map<string, Promise<unknown>>();

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
      this.subscribed.set(channel, this.sub.subscribe(channel));
    }
    set.add(listener);
    const unsubscribe = async () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(channel) === set) {
        this.listeners.delete(channel);
        this.subscribed.delete(channel);
        await this.sub.unsubscribe(channel).catch(() => {});
      }
    };
    // Every subscriber returns once Redis has confirmed the channel, not only the first: a change
    // published before that would be missed (a long-poll until the end would then wait it out).
    try {
      await this.subscribed.get(channel);
    } catch (e) {
      await unsubscribe();
      throw e;
    }
    return unsubscribe;
  }

  /**
   * Returns once `done()` holds, on the first change after subscribing, or after `ms`. Subscribes
   * before checking so a change between the check and the wait is never missed.
   */
  async waitForChange(jobId: string, ms: number, done: () => Promise<boolean>): Promise<void> {
    // `waitUntil` with `done` asked once: any change after that ends the wait.
    let asked = false;
    await this.waitUntil(
      jobId,
      ms,
      () => (asked ? Promise.resolve(true) : ((asked = true), done())),
      () => true,
    );
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
