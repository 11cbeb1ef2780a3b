import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createSecretBox, hashToken, newToken, type DB } from '../../packages/db/src/index.js';
import { testEnv } from './test-env.js';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  roles: string[];
}

export interface TestTenant {
  id: string;
  slug: string;
  /** The default team (`cs`), where channels without a team route. */
  teamId: string;
  teams: Record<string, string>;
  users: Record<string, TestUser>;
}

export interface UserSpec {
  roles: string[];
  /** Team keys; an `agent`/`team_leader`/`tier2`/`related_team` also gets an agents row. */
  teams?: string[];
  leaderOf?: string[];
  presence?: 'online' | 'away' | 'offline';
  capacity?: { chat?: number; email?: number; voice?: number };
}

const DEFAULT_USERS: Record<string, UserSpec> = {
  admin: { roles: ['admin'] },
  lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'] },
  agent1: { roles: ['agent'], teams: ['cs'] },
  agent2: { roles: ['agent'], teams: ['cs'] },
  qc: { roles: ['quality_control'] },
  tier2: { roles: ['tier2'], teams: ['tier2'] },
};

/**
 * A fresh tenant of its own for one test: teams `cs` (default) and `tier2`, users by name with session
 * tokens ready to use. Every test owns its tenant, so tests never see each other's rows.
 */
export async function createTenant(
  db: Kysely<DB>,
  users: Record<string, UserSpec> = DEFAULT_USERS,
  teamKeys: string[] = ['cs', 'tier2'],
): Promise<TestTenant> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const tenant = await db.insertInto('tenants').values({ slug, name: `Test ${slug}` }).returning('id').executeTakeFirstOrThrow();
  const teams: Record<string, string> = {};
  for (const key of teamKeys) {
    const team = await db
      .insertInto('teams')
      .values({ tenant_id: tenant.id, key, name: key.toUpperCase(), is_default: key === teamKeys[0] })
      .returning('id')
      .executeTakeFirstOrThrow();
    teams[key] = team.id;
  }
  const made: Record<string, TestUser> = {};
  for (const [name, spec] of Object.entries(users)) {
    made[name] = await createUser(db, tenant.id, teams, `${name}@${slug}.test`, name, spec);
  }
  return { id: tenant.id, slug, teamId: teams[teamKeys[0]!]!, teams, users: made };
}

export async function createUser(
  db: Kysely<DB>,
  tenantId: string,
  teams: Record<string, string>,
  email: string,
  name: string,
  spec: UserSpec,
): Promise<TestUser> {
  const user = await db
    .insertInto('users')
    .values({ tenant_id: tenantId, email, name, roles: spec.roles, password_hash: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const key of spec.teams ?? []) {
    const teamId = teams[key];
    if (!teamId) throw new Error(`fixture: no team ${key}`);
    await db
      .insertInto('team_members')
      .values({ tenant_id: tenantId, team_id: teamId, user_id: user.id, is_leader: spec.leaderOf?.includes(key) ?? false })
      .execute();
  }
  if ((spec.teams ?? []).length > 0) {
    await db
      .insertInto('agents')
      .values({
        user_id: user.id,
        tenant_id: tenantId,
        presence: spec.presence ?? 'offline',
        capacity_chat: spec.capacity?.chat ?? 5,
        capacity_email: spec.capacity?.email ?? 10,
        capacity_voice: spec.capacity?.voice ?? 1,
      })
      .execute();
  }
  const token = newToken();
  await db
    .insertInto('auth_tokens')
    .values({ tenant_id: tenantId, user_id: user.id, kind: 'session', token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) })
    .execute();
  return { id: user.id, email, token, roles: spec.roles };
}

/** An `api` channel with its signing secret sealed the way the inbox API stores it. */
export async function createApiChannel(
  db: Kysely<DB>,
  tenantId: string,
  options: { callbackUrl?: string; teamId?: string | null; secret?: string } = {},
): Promise<{ id: string; secret: string }> {
  const secret = options.secret ?? `whsec_${randomUUID().replaceAll('-', '')}`;
  const box = createSecretBox(testEnv().secretKey);
  const channel = await db
    .insertInto('channels')
    .values({
      tenant_id: tenantId,
      type: 'api',
      name: 'Test API channel',
      team_id: options.teamId ?? null,
      config: JSON.stringify({ callbackUrl: options.callbackUrl ?? 'http://127.0.0.1:9/callback' }),
      secrets_enc: box.seal({ signingSecret: secret }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: channel.id, secret };
}
