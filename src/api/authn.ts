// Authentication: who a bearer token belongs to. One admin token for now; the tenancy work replaces
// this with JWTs and RBAC behind the same function type.
import type { UserInfo } from './api.ts';

export type Authenticator = (bearerToken: string | undefined, cluster: string) => Promise<UserInfo | undefined>;

export const ADMIN_USER: UserInfo = { username: 'skiff-admin', uid: 'skiff-admin', groups: ['system:masters', 'system:authenticated'] };

/** Accepts exactly `token`, comparing digests so the time taken says nothing about the token. */
export function staticTokenAuthenticator(token: string, user: UserInfo = ADMIN_USER): Authenticator {
  const expected = digest(token);
  // A token once verified needs no digest again; only valid tokens are remembered.
  const verified = new Set<string>();
  return async bearer => {
    if (!bearer) return undefined;
    if (verified.has(bearer)) return user;
    const [a, b] = await Promise.all([expected, digest(bearer)]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    if (diff !== 0) return undefined;
    verified.add(bearer);
    return user;
  };
}

async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
}

export function bearerTokenOf(authorization: string | undefined | null): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
