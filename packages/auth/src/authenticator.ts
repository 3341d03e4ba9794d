import { RocheError } from '@roche/core';
import type { ApiKeyStore } from './api-keys.js';
import { looksLikeApiKey } from './api-keys.js';
import type { JwtVerifier } from './jwt.js';
import { looksLikeJwt } from './jwt.js';
import { ALL_SCOPES, TENANT_PATTERN, type Principal } from './scopes.js';

export interface Credentials {
  authorization?: string;
  apiKey?: string;
  /** `X-Roche-Tenant`: honoured only when auth is off. */
  tenantHeader?: string;
}

/**
 * Turns request credentials into a Principal. With auth on, the tenant is the key's (or the
 * token's) and nothing the client says; with auth off (loopback only), every caller is an admin
 * of the tenant it names.
 */
export class Authenticator {
  constructor(
    readonly required: boolean,
    private readonly keys: ApiKeyStore,
    private readonly jwt?: JwtVerifier,
  ) {}

  async authenticate(c: Credentials): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.authorization ?? '')?.[1];
    const token = c.apiKey ?? bearer;
    if (!this.required && !token) {
      const tenant = c.tenantHeader ?? 'default';
      if (!TENANT_PATTERN.test(tenant)) throw new RocheError('validation_failed', 'X-Roche-Tenant must be 1-64 letters, digits, _ or -');
      return { tenant, scopes: ALL_SCOPES, via: 'anonymous' };
    }
    if (!token) throw unauthorized('missing credentials: send `Authorization: Bearer <key>` or `X-API-Key: <key>`');
    if (looksLikeApiKey(token)) {
      const rec = await this.keys.verify(token);
      if (!rec) throw unauthorized('invalid or revoked API key');
      return { tenant: rec.tenant, scopes: rec.scopes, via: 'key', subject: rec.id };
    }
    if (this.jwt && looksLikeJwt(token)) {
      const p = await this.jwt.verify(token);
      if (!p) throw unauthorized('invalid or expired token');
      return p;
    }
    throw unauthorized('unrecognised credentials');
  }
}

const unauthorized = (message: string) => new RocheError('unauthorized', message);
