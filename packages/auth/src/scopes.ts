import { z } from 'zod';

/** What a key may do. `admin` implies every other scope. */
export const Scope = z.enum(['jobs:write', 'jobs:read', 'webhooks:admin', 'admin']);
export type Scope = z.infer<typeof Scope>;
export const ALL_SCOPES: readonly Scope[] = Scope.options;

export const TENANT_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** Who is calling: the tenant every read and write is confined to, and what it may do. */
export interface Principal {
  tenant: string;
  scopes: readonly Scope[];
  /** `key` (API key), `jwt`, or `anonymous` (auth off on loopback). */
  via: 'key' | 'jwt' | 'anonymous';
  /** Key id or JWT subject, for logs; never the secret. */
  subject?: string;
}

export function hasScope(p: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return p.scopes.includes('admin') || p.scopes.includes(scope);
}
