import { DEFAULT_TENANT, JobRecord, RedisKeys, type JobState, type SecretBox } from '@roche/core';
import type { Redis } from 'ioredis';
import { LuaScript } from './lua-script.js';

type Patch = Partial<Omit<JobRecord, 'id'>>;

/**
 * Moves a job to a new state only if it is in one of the allowed states, atomically, so a
 * cancel and a finishing worker cannot both win, and announces the change on the job's channel.
 * KEYS[1] = hash; ARGV[1] = JSON list of allowed states, ARGV[2] = channel, ARGV[3] = message;
 * ARGV[4..] = field/value pairs.
 */
const TRANSITION = new LuaScript(
  `
local cur = redis.call('HGET', KEYS[1], 'state')
if not cur then return -1 end
local allowed = cjson.decode(ARGV[1])
local ok = false
for _, s in ipairs(allowed) do if cjson.encode(s) == cur then ok = true end end
if not ok then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`,
  1,
);

/** HSET on a record that still exists: a job deleted meanwhile must not come back as a stray hash. */
const SET_IF_EXISTS = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`,
  1,
);

/**
 * Counts a page once however often its job runs (retries, crash recovery), and announces the count
 * on the job's channel (in the script: one round trip a page instead of two). KEYS[1] = hash,
 * KEYS[2] = set of finished pages; ARGV[1] = page, ARGV[2] = counter field, ARGV[3] = channel,
 * ARGV[4] = message.
 */
const MARK_PAGE = new LuaScript(
  `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('PUBLISH', ARGV[3], ARGV[4])
return n
`,
  2,
);

/** Writes a record whole, or not at all when it exists, and indexes it under its tenant. KEYS: hash, tenant index; ARGV: TTL ms (0 = none), index score, id, field/value pairs. */
const CREATE = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`,
  2,
);

/**
 * Job records as Redis hashes (one JSON-encoded value per field) so that the API and workers can
 * update single fields without read-modify-write races. Every change is published on a channel
 * for status streams.
 */
export class JobStore {
  constructor(
    readonly redis: Redis,
    readonly keys: RedisKeys,
    /** Seals the webhook secret of a job at rest. */
    private readonly box?: SecretBox,
    /** Reads go here: a connection whose commands time out (Infra.boundedRedis); writes never do. */
    readonly reads: Redis = redis,
  ) {}

  key(id: string): string {
    return this.keys.job(id);
  }

  channel(id: string): string {
    return this.keys.jobEvents(id);
  }

  private fields(patch: Patch): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) out.push(k, JSON.stringify(v));
    return out;
  }

  /**
   * Writes a new record. With `provisionalMs` the record expires unless `confirm` follows: a
   * submit that dies between writing the record and queuing the job leaves nothing behind.
   */
  async create(record: JobRecord, provisionalMs?: number): Promise<void> {
    const parsed = JobRecord.parse(record);
    const { id, ...rest } = parsed;
    if (rest.webhook && this.box) rest.webhook = { ...rest.webhook, secret: this.box.seal(rest.webhook.secret) };
    const fields = ['id', JSON.stringify(id), ...this.fields(rest)];
    const index = this.keys.tenantJobs(rest.tenant ?? DEFAULT_TENANT);
    const created = await CREATE.run(
      this.redis,
      [this.key(id), index],
      [String(provisionalMs ?? 0), Date.parse(rest.createdAt), id, ...fields],
    );
    if (!created) throw new Error(`job ${id} already exists`);
  }

  /** A tenant's jobs, newest first; records gone (retention, an unconfirmed submit) drop out of the index as they are met. */
  async list(tenant: string, limit: number): Promise<JobRecord[]> {
    const index = this.keys.tenantJobs(tenant);
    const ids = await this.reads.zrevrange(index, 0, limit - 1);
    const out: JobRecord[] = [];
    for (const id of ids) {
      const rec = await this.get(id);
      if (rec) out.push(rec);
      else await this.redis.zrem(index, id);
    }
    return out;
  }

  /** Makes a provisional record permanent once its job is queued. */
  async confirm(id: string): Promise<void> {
    await this.redis.persist(this.key(id));
  }

  async get(id: string): Promise<JobRecord | null> {
    return this.read(id, this.reads);
  }

  /**
   * The record read on the untimed connection, for a read whose caller has just changed the job and
   * must act on it (a job's end announced): a read timeout there would leave the change made and
   * its follow-ups lost, since a retry finds the job already changed.
   */
  async readBack(id: string): Promise<JobRecord | null> {
    return this.read(id, this.redis);
  }

  private async read(id: string, via: Redis): Promise<JobRecord | null> {
    const h = await via.hgetall(this.key(id));
    if (!h.id) return null;
    const obj = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, JSON.parse(v)]));
    const hook = obj.webhook as { secret?: unknown } | undefined;
    if (this.box && typeof hook?.secret === 'string') hook.secret = this.box.open(hook.secret);
    return JobRecord.parse(obj);
  }

  /** The job's state alone (one field, no parse of the record), or null when the job is gone. */
  async state(id: string): Promise<JobState | null> {
    const v = await this.reads.hget(this.key(id), 'state');
    return v ? (JSON.parse(v) as JobState) : null;
  }

  /**
   * Which of `pages` are counted already (done or failed), in their order. SISMEMBER per page, not
   * SMISMEMBER (Redis 6.2+; BullMQ runs on older servers): on the auto-pipelined connection they go
   * out together anyway.
   */
  async countedPages(id: string, pages: readonly number[]): Promise<boolean[]> {
    const key = this.keys.jobPages(id);
    return (await Promise.all(pages.map((p) => this.reads.sismember(key, String(p))))).map((x) => x === 1);
  }

  async update(id: string, patch: Patch): Promise<void> {
    const f = this.fields(patch);
    if (!f.length) return;
    await this.redis.hset(this.key(id), ...f);
    await this.redis.publish(this.channel(id), JSON.stringify(Object.keys(patch)));
  }

  /** The steps after the job's end are done (`endSteps`): not announced, as nothing a reader sees changed. */
  async endStepsDone(id: string): Promise<void> {
    await SET_IF_EXISTS.run(this.redis, [this.key(id)], this.fields({ endSteps: 'done' }));
  }

  /** Applies `patch` (which should set `state`) only when the job is in one of `from`. */
  async transition(id: string, from: JobState[], patch: Patch & { state: JobState }): Promise<boolean> {
    const args = [JSON.stringify(from), this.channel(id), JSON.stringify(Object.keys(patch)), ...this.fields(patch)];
    return ((await TRANSITION.run(this.redis, [this.key(id)], args)) as number) === 1;
  }

  /** Records that a page finished (done or failed) exactly once; returns the new count, or -1 if already counted. */
  async markPage(id: string, page: number, outcome: 'done' | 'failed'): Promise<number> {
    const field = outcome === 'done' ? 'pagesDone' : 'pagesFailed';
    const keys = [this.key(id), this.keys.jobPages(id)];
    return (await MARK_PAGE.run(this.redis, keys, [String(page), field, this.channel(id), JSON.stringify([field])])) as number;
  }

  /** Deletes the record and everything keyed by the job (page counters, webhook delivery log). */
  async delete(id: string, tenant?: string): Promise<void> {
    await this.redis.del(...this.keys.jobKeys(id));
    if (tenant) await this.redis.zrem(this.keys.tenantJobs(tenant), id);
    await this.redis.publish(this.channel(id), JSON.stringify(['deleted']));
  }
}
