import { RocheError } from '@roche/core';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ALL_SCOPES, TENANT_PATTERN, type Principal, type Scope } from './scopes.js';

export interface JwtSettings {
  jwksUrl: string;
  audience: string;
  issuer?: string;
  /** Claim naming the tenant (e.g. `tenant`, `org_id`). */
  tenantClaim: string;
}

/** jose's errors of a key lookup that are the token's doing (no key of its `kid`, an algorithm refused). */
const TOKEN_AT_FAULT = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
]);

/**
 * Verifies JWT bearer tokens from an identity provider against its JWKS (fetched and cached by
 * jose). The tenant comes from a configured claim; scopes from `scope` (space-separated) or `scp`.
 */
export class JwtVerifier {
  private readonly jwks: JWTVerifyGetKey;

  constructor(private readonly settings: JwtSettings) {
    const remote = createRemoteJWKSet(new URL(settings.jwksUrl));
    // A key set that cannot be fetched is the identity provider's outage, not a bad token: 503, so a
    // client does not throw away a good token (or log its user out) on a 401.
    this.jwks = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (e) {
        if (TOKEN_AT_FAULT.has((e as { code?: string }).code ?? '')) throw e;
        throw new RocheError('auth_unavailable', `the identity provider's key set could not be read: ${(e as Error).message}`, {
          cause: e,
          retryable: true,
        });
      }
    };
  }

  /**
   * The principal of a valid token; null when the token is invalid, expired or lacks a tenant.
   * Throws `auth_unavailable` when the identity provider's key set cannot be fetched.
   */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        audience: this.settings.audience,
        ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      });
      const tenant = payload[this.settings.tenantClaim];
      if (typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)) return null;
      const raw = payload.scope ?? payload.scp;
      const claimed = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.map(String) : [];
      const scopes = claimed.filter((s): s is Scope => (ALL_SCOPES as readonly string[]).includes(s));
      return { tenant, scopes, via: 'jwt', ...(payload.sub ? { subject: payload.sub } : {}) };
    } catch (e) {
      if (e instanceof RocheError) throw e;
      return null;
    }
  }
}

export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
