import type { RedisKeys, SecretBox } from '@roche/core';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Endpoint, type EndpointInput, type EndpointView } from './schemas.js';
import { generateSecret } from './signing.js';

export const toEndpointView = ({ secrets, ...e }: Endpoint): EndpointView => ({ ...e, secretCount: secrets.length });

/** Tenant webhook endpoints in Redis: one JSON value per endpoint, one set of ids per tenant. */
export class EndpointStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** Seals signing secrets at rest; without it they are stored as given (tests of old data only). */
    private readonly box?: SecretBox,
  ) {}

  private sealed(e: Endpoint): string {
    const box = this.box;
    return JSON.stringify(box ? { ...e, secrets: e.secrets.map((s) => ({ ...s, secret: box.seal(s.secret) })) } : e);
  }

  private key(id: string) {
    return this.keys.webhookEndpoint(id);
  }
  private tenantKey(tenant: string) {
    return this.keys.tenantWebhooks(tenant);
  }

  async create(tenant: string, input: EndpointInput): Promise<{ endpoint: Endpoint; secret: string }> {
    const secret = generateSecret();
    const endpoint: Endpoint = {
      ...input,
      id: `ep_${randomBytes(10).toString('hex')}`,
      tenant,
      createdAt: new Date().toISOString(),
      disabled: false,
      secrets: [{ secret }],
    };
    await this.redis.multi().set(this.key(endpoint.id), this.sealed(endpoint)).sadd(this.tenantKey(tenant), endpoint.id).exec();
    return { endpoint, secret };
  }

  async get(tenant: string | null, id: string): Promise<Endpoint | null> {
    const raw = await this.redis.get(this.key(id));
    if (!raw) return null;
    const e = Endpoint.parse(JSON.parse(raw));
    if (tenant !== null && e.tenant !== tenant) return null;
    const box = this.box;
    return box ? { ...e, secrets: e.secrets.map((s) => ({ ...s, secret: box.open(s.secret) })) } : e;
  }

  async list(tenant: string): Promise<Endpoint[]> {
    const ids = await this.redis.smembers(this.tenantKey(tenant));
    const out: Endpoint[] = [];
    for (const id of ids.sort()) {
      const e = await this.get(tenant, id);
      if (e) out.push(e);
    }
    return out;
  }

  private async save(e: Endpoint): Promise<Endpoint> {
    await this.redis.set(this.key(e.id), this.sealed(Endpoint.parse(e)));
    return e;
  }

  async update(tenant: string, id: string, patch: Partial<EndpointInput> & { disabled?: boolean }): Promise<Endpoint | null> {
    const e = await this.get(tenant, id);
    if (!e) return null;
    return this.save({ ...e, ...patch, ...(patch.disabled === false ? { disabledReason: undefined } : {}) });
  }

  /** New secret first; the previous ones keep verifying for `graceSeconds`. */
  async rotateSecret(tenant: string, id: string, graceSeconds: number): Promise<{ endpoint: Endpoint; secret: string } | null> {
    const e = await this.get(tenant, id);
    if (!e) return null;
    const now = Date.now();
    const expiresAt = new Date(now + graceSeconds * 1000).toISOString();
    const kept = e.secrets
      .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now)
      .map((s) => ({ secret: s.secret, expiresAt: s.expiresAt ?? expiresAt }));
    const secret = generateSecret();
    return { endpoint: await this.save({ ...e, secrets: [{ secret }, ...kept] }), secret };
  }

  async disable(id: string, reason: string): Promise<void> {
    const e = await this.get(null, id);
    if (e) await this.save({ ...e, disabled: true, disabledReason: reason });
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const e = await this.get(tenant, id);
    if (!e) return false;
    await this.redis.multi().del(this.key(id)).srem(this.tenantKey(tenant), id).exec();
    return true;
  }
}

/** Secrets still valid now, newest first. */
export function activeSecrets(e: Endpoint, now = Date.now()): string[] {
  return e.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now).map((s) => s.secret);
}
