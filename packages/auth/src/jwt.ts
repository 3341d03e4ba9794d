import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ALL_SCOPES, TENANT_PATTERN, type Principal, type Scope } from './scopes.js';

export interface JwtSettings {
  jwksUrl: string;
  audience: string;
  issuer?: string;
  /** Claim naming the tenant (e.g. `tenant`, `org_id`). */
  tenantClaim: string;
}

/**
 * Verifies JWT bearer tokens from an identity provider against its JWKS (fetched and cached by
 * jose). The tenant comes from a configured claim; scopes from `scope` (space-separated) or `scp`.
 */
export class JwtVerifier {
  private readonly jwks: JWTVerifyGetKey;

  constructor(private readonly settings: JwtSettings) {
    this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
  }

  /** The principal of a valid token; null when the token is invalid, expired or lacks a tenant. */
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
    } catch {
      return null;
    }
  }
}

export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
