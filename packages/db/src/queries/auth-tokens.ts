import type { Db } from './db-handle.js';

export interface NewAuthToken {
  userId: string;
  kind: 'session' | 'api';
  /** sha256 of the bearer token (tokens.ts hashToken); the token itself is never stored. */
  tokenHash: string;
  name?: string | null;
  /** An API token's own roles; null for a session, which acts with its user's roles. */
  roles?: string[] | null;
  expiresAt?: Date | null;
}

export async function insertAuthToken(db: Db, tenantId: string, token: NewAuthToken): Promise<{ id: string }> {
  return db
    .insertInto('auth_tokens')
    .values({
      tenant_id: tenantId,
      user_id: token.userId,
      kind: token.kind,
      token_hash: token.tokenHash,
      name: token.name ?? null,
      roles: token.roles ?? null,
      expires_at: token.expiresAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Who a live bearer token speaks for: its user, tenant and effective roles, with the user's teams. */
export interface TokenPrincipal {
  tokenId: string;
  tokenKind: 'session' | 'api';
  userId: string;
  tenantId: string;
  name: string;
  email: string;
  roles: string[];
  teamIds: string[];
  leaderOfTeamIds: string[];
}

/**
 * Resolves a token hash to its principal, or undefined when the token is unknown, expired, revoked or its
 * user deactivated. Looked up by hash alone: the token is what names the tenant.
 */
export async function findPrincipalByTokenHash(db: Db, tokenHash: string, now = new Date()): Promise<TokenPrincipal | undefined> {
  const row = await db
    .selectFrom('auth_tokens as t')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 't.user_id').onRef('u.tenant_id', '=', 't.tenant_id'))
    .select(['t.id as token_id', 't.kind', 't.roles as token_roles', 't.tenant_id', 'u.id as user_id', 'u.name', 'u.email', 'u.roles as user_roles'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
    .where('u.is_active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const memberships = await db
    .selectFrom('team_members')
    .select(['team_id', 'is_leader'])
    .where('tenant_id', '=', row.tenant_id)
    .where('user_id', '=', row.user_id)
    .execute();
  return {
    tokenId: row.token_id,
    tokenKind: row.kind,
    userId: row.user_id,
    tenantId: row.tenant_id,
    name: row.name,
    email: row.email,
    // An API token acts with the roles it was given, not its owner's.
    roles: row.kind === 'api' && row.token_roles ? row.token_roles : row.user_roles,
    teamIds: memberships.map((m) => m.team_id),
    leaderOfTeamIds: memberships.filter((m) => m.is_leader).map((m) => m.team_id),
  };
}

/** Revokes a token of the tenant; true when it was live. */
export async function revokeAuthToken(db: Db, tenantId: string, tokenId: string): Promise<boolean> {
  const res = await db
    .updateTable('auth_tokens')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
