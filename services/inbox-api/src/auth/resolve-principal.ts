import type { Kysely } from 'kysely';
import { hashToken, type DB } from '@sapa/db';
import { findPrincipalByTokenHash } from '@sapa/db/queries/auth-tokens';
import type { Principal } from './principal.js';

/**
 * Looks a bearer token up on every request, without a cache: it is one indexed query, and a revoked or
 * expired token stops working on the very next request (open WebSockets re-check it at each ping).
 */
export async function resolvePrincipal(db: Kysely<DB>, token: string): Promise<Principal | undefined> {
  const tokenHash = hashToken(token);
  const found = await findPrincipalByTokenHash(db, tokenHash);
  if (!found) return undefined;
  return {
    tokenId: found.tokenId,
    tokenHash,
    userId: found.userId,
    tenantId: found.tenantId,
    name: found.name,
    email: found.email,
    roles: found.roles,
    teamIds: found.teamIds,
    leaderOfTeamIds: found.leaderOfTeamIds,
  };
}
