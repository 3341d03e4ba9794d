import { RocheError } from '@roche/core';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ALL_SCOPES, TENANT_PATTERN, type Principal, type Scope } from './scopes.js';

export interface JwtSettings {
  jwksUrl: string;
  audience: string;
  issuer?: string;
  /** Claim naming the tenant (e.g. `tenant`, `org_id`). */
  tenantClaim: string;
  /** How long after a fetch a token of an unknown `kid` does not fetch the set again (jose's default, 30 s). */
  jwksCooldownMs?: number;
}

/**
 * Whether jose could not fetch the key set (network, timeout, an answer other than 200 or not a key
 * set): the provider's outage. Anything else in the key lookup (no key of the token's `kid`, an
 * algorithm or a key that cannot be used) is the token's or the set's, and answered 401.
 */
function isFetchFailure(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string };
  if (err.code === 'ERR_JWKS_TIMEOUT' || err.code === 'ERR_JWKS_INVALID') return true;
  if (err.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set HTTP response/.test(err.message ?? '')) return true;
  return err.name === 'TypeError' && /fetch failed/.test(err.message ?? ''); // undici: refused, reset, DNS
}

/**
 * Verifies JWT bearer tokens from an identity provider against its JWKS (fetched and cached by
 * jose). The tenant comes from a configured claim; scopes from `scope` (space-separated) or `scp`.
 */
export class JwtVerifier {
  private readonly jwks: JWTVerifyGetKey;

  constructor(private readonly settings: JwtSettings) {
    const remote = createRemoteJWKSet(new URL(settings.jwksUrl), {
      ...(settings.jwksCooldownMs !== undefined ? { cooldownDuration: settings.jwksCooldownMs } : {}),
    });
    // A key set that cannot be fetched is the identity provider's outage, not a bad token: 503, so a
    // client does not throw away a good token (or log its user out) on a 401. Not for a token naming a
    // key the set held last time lacks: anyone can forge one, and it must not turn into a 503.
    this.jwks = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (e) {
        if (!isFetchFailure(e)) throw e;
        const known = remote.jwks();
        if (known && header.kid !== undefined && !known.keys.some((k) => k.kid === header.kid)) throw e;
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
