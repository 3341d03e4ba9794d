import type { Redis } from 'ioredis';

const INVALIDATE = '__redis__:invalidate';

export interface TrackedCacheOptions {
  /** Longest an entry is served without a read, even with no invalidation (a backstop). */
  ttlMs?: number;
  maxEntries?: number;
  log?: (message: string) => void;
}

/**
 * Values read from Redis keys under one prefix, kept in memory and dropped by Redis itself when any
 * process writes, deletes or expires any of those keys: server-assisted client-side caching in
 * broadcast mode (`CLIENT TRACKING ON BCAST PREFIX p REDIRECT <subscriber>`), so a revoked API key
 * stops working on every API replica as soon as Redis announces the write, not after a TTL.
 *
 * Two connections of its own: a subscriber on `__redis__:invalidate` and a tracker that holds the
 * registration. While either is down, or before the registration has succeeded since the last
 * (re)connect, nothing is served from memory: every read goes to Redis. A read whose reply may
 * predate an invalidation (one arrived while it was in flight) is not kept. Where the server refuses
 * tracking (Redis before 6, a managed service that hides CLIENT), the cache stays off.
 */
export class TrackedCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Bumped by every invalidation and connection change: a read started before a bump is not kept. */
  private generation = 0;
  private live = false;
  private subscriberId: number | undefined;
  private closed = false;
  private warned = false;
  /** Registrations run one after another: two at once (both connections back together) would collide in Redis. */
  private registering: Promise<void> = Promise.resolve();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  private constructor(
    private readonly subscriber: Redis,
    private readonly tracker: Redis,
    private readonly prefix: string,
    private readonly opts: TrackedCacheOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  /** Starts tracking keys under `prefix`, with two connections duplicated from `redis`. */
  static async start<V>(redis: Redis, prefix: string, opts: TrackedCacheOptions = {}): Promise<TrackedCache<V>> {
    // Both retry for ever in the background; while they are away the cache is simply off.
    const conn = { autoResubscribe: false, maxRetriesPerRequest: null, enableAutoPipelining: false, lazyConnect: true };
    const cache = new TrackedCache<V>(redis.duplicate(conn), redis.duplicate(conn), prefix, opts);
    cache.subscriber.on('message', (channel: string) => {
      if (channel === INVALIDATE) cache.drop();
    });
    cache.subscriber.on('close', () => {
      cache.subscriberId = undefined;
      cache.stop();
    });
    cache.tracker.on('close', () => cache.stop());
    for (const c of [cache.subscriber, cache.tracker]) c.on('error', () => {}); // reconnects; the cache is off meanwhile ('close')
    cache.subscriber.on('ready', () => void cache.subscribe());
    cache.tracker.on('ready', () => void cache.register());
    await Promise.all([cache.subscriber.connect(), cache.tracker.connect()]).catch(() => {});
    await cache.ready();
    return cache;
  }

  /** The cached value of `key`, else `load()`'s, kept when it is not null and nothing changed meanwhile. */
  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const hit = this.live ? this.entries.get(key) : undefined;
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (value !== null && this.live && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, at: Date.now() });
    }
    return value;
  }

  /**
   * Forgets everything now, for a change this process made itself: its own next read must not depend
   * on when Redis's announcement arrives (other processes learn of it from Redis).
   */
  invalidate(): void {
    this.drop();
  }

  /** Whether values are being served from memory (tracking registered on live connections). */
  get active(): boolean {
    return this.live;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    // Nothing to flush on either; QUIT would wait for a Redis that is down.
    for (const c of [this.subscriber, this.tracker]) c.disconnect();
  }

  /** Resolves once tracking is registered, refused, or after a short wait (the cache then starts off). */
  private async ready(): Promise<void> {
    for (let i = 0; i < 50 && !this.live && !this.closed && !this.warned; i++) await new Promise((r) => setTimeout(r, 20));
  }

  private drop(): void {
    this.generation++;
    this.entries.clear();
  }

  private stop(): void {
    this.live = false;
    this.drop();
  }

  /** On each (re)connect of the subscriber: learn its id (before subscribing: afterwards it may only subscribe), subscribe, register. */
  private async subscribe(): Promise<void> {
    this.stop();
    try {
      this.subscriberId = Number(await this.subscriber.call('CLIENT', 'ID'));
      await this.subscriber.subscribe(INVALIDATE);
    } catch (e) {
      this.subscriberId = undefined;
      // A dropped connection reconnects and comes back here; a refusal (CLIENT hidden) is for good.
      if (this.subscriber.status === 'ready') this.unavailable(e);
      return;
    }
    await this.register();
  }

  /** Says once that Redis refuses what the cache needs: it stays off and every read goes to Redis. */
  private unavailable(e: unknown): void {
    if (!this.warned) this.opts.log?.(`no caching under ${this.prefix}: CLIENT TRACKING is unavailable (${(e as Error).message})`);
    this.warned = true;
  }

  /** Registers broadcast tracking of the prefix on the tracker, redirected to the current subscriber. */
  private register(): Promise<void> {
    this.stop();
    this.registering = this.registering.then(() => this.registerNow());
    return this.registering;
  }

  private async registerNow(): Promise<void> {
    this.stop();
    const id = this.subscriberId;
    if (id === undefined || this.tracker.status !== 'ready' || this.closed) return;
    try {
      // A registration redirected to an earlier subscriber connection is replaced.
      await this.tracker.call('CLIENT', 'TRACKING', 'OFF');
      await this.tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', this.prefix);
    } catch (e) {
      if (this.tracker.status === 'ready') this.unavailable(e);
      return;
    }
    // Both connections may have changed while the commands were in flight.
    if (id !== this.subscriberId || this.subscriber.status !== 'ready' || this.tracker.status !== 'ready') return;
    this.drop();
    this.live = true;
  }
}
