import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RocheError, type RedisKeys } from '@roche/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { Scope, TENANT_PATTERN } from './scopes.js';
import type { TrackedCache } from './tracked-cache.js';

/** A key as stored: the secret only as its SHA-256 (keys are 256 random bits, so no slow hash is needed). */
export const ApiKeyRecord = z.object({
  id: z.string(),
  tenant: z.string().regex(TENANT_PATTERN),
  scopes: z.array(Scope).min(1),
  name: z.string().max(200).optional(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
  hash: z.string(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

/** A key's public face (no hash). */
export const ApiKeyView = ApiKeyRecord.omit({ hash: true });
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const NewApiKey = z.object({
  tenant: z.string().regex(TENANT_PATTERN, 'tenant must be 1-64 letters, digits, _ or -'),
  scopes: z.array(Scope).min(1),
  name: z.string().max(200).optional(),
});
export type NewApiKey = z.infer<typeof NewApiKey>;

/** `rk_<id>_<secret>`: the id finds the record, the secret is compared as a hash. */
const KEY_PATTERN = /^rk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares two secrets in time that does not depend on where they differ (both are hashed to 32 bytes first). */
export function secretsEqual(presented: string, storedHashHex: string): boolean {
  const stored = Buffer.from(storedHashHex, 'hex');
  const given = digest(presented);
  return stored.length === given.length && timingSafeEqual(given, stored);
}

export const looksLikeApiKey = (token: string) => token.startsWith('rk_');

/**
 * API keys in Redis. The full key is returned once, by `create`; only its hash is kept. With a
 * `cache` (the API's), `verify` reads a key's record from memory until Redis announces a change to it.
 */
export class ApiKeyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cache?: TrackedCache<ApiKeyRecord>,
    /** Lookups go here: a connection whose commands time out (the runtime's boundedRedis). */
    private readonly reads: Redis = redis,
  ) {}

  async create(input: NewApiKey, now = new Date()): Promise<{ key: string; record: ApiKeyView }> {
    const { tenant, scopes, name } = NewApiKey.parse(input);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      tenant,
      scopes: [...new Set(scopes)],
      ...(name ? { name } : {}),
      createdAt: now.toISOString(),
      hash: digest(secret).toString('hex'),
    };
    await this.redis.multi().set(this.keys.apiKey(id), JSON.stringify(record)).sadd(this.keys.apiKeyIds(), id).exec();
    return { key: `rk_${id}_${secret}`, record: toView(record) };
  }

  private async load(id: string): Promise<ApiKeyRecord | null> {
    const raw = await this.reads.get(this.keys.apiKey(id));
    return raw ? ApiKeyRecord.parse(JSON.parse(raw)) : null;
  }

  /** The record of a presented key when it is valid and not revoked; null otherwise. */
  async verify(presented: string): Promise<ApiKeyView | null> {
    const m = KEY_PATTERN.exec(presented);
    if (!m) return null;
    const id = m[1]!;
    const rec = this.cache ? await this.cache.get(id, () => this.load(id)) : await this.load(id);
    if (!rec || !secretsEqual(m[2]!, rec.hash) || rec.revokedAt) return null;
    return toView(rec);
  }

  async list(tenant?: string): Promise<ApiKeyView[]> {
    const ids = (await this.redis.smembers(this.keys.apiKeyIds())).sort();
    if (!ids.length) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.keys.apiKey(id)));
    return raws
      .filter((r): r is string => Boolean(r))
      .map((r) => ApiKeyRecord.parse(JSON.parse(r)))
      .filter((r) => !tenant || r.tenant === tenant)
      .map(toView);
  }

  /** Revokes a key at once (the record stays, marked, so listings show it). */
  async revoke(id: string, now = new Date()): Promise<ApiKeyView> {
    const rec = /^[0-9a-f]{16}$/.test(id) ? await this.load(id) : null;
    if (!rec) throw new RocheError('not_found', `API key ${id} not found`);
    const revoked = { ...rec, revokedAt: rec.revokedAt ?? now.toISOString() };
    await this.redis.set(this.keys.apiKey(id), JSON.stringify(revoked));
    this.cache?.invalidate();
    return toView(revoked);
  }

  async count(): Promise<number> {
    return this.redis.scard(this.keys.apiKeyIds());
  }
}

const toView = ({ hash: _hash, ...v }: ApiKeyRecord): ApiKeyView => v;
