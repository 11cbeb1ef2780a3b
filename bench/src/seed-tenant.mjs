import { randomBytes } from 'node:crypto';
import { createDb, createSecretBox } from '@sapa/db';

/**
 * The tenant under load: team `cs` (the default team), `agents` online agents of it with room for
 * `capacity` chats each, and one `api` channel with no team (so it routes to the default team, as most do).
 * Written straight to the tables: the bench measures the message path, not the admin API.
 */
export async function seedTenant(env, { agents, capacity, slug = 'bench' }) {
  const db = createDb({ connectionString: env.databaseUrl, max: 2 });
  try {
    const tenant = await db
      .insertInto('tenants')
      .values({ slug, name: 'Bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const team = await db
      .insertInto('teams')
      .values({ tenant_id: tenant.id, key: 'cs', name: 'Customer service', is_default: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const users = await db
      .insertInto('users')
      .values(
        Array.from({ length: agents }, (_, i) => ({
          tenant_id: tenant.id,
          email: `agent${i}@${slug}.bench.test`,
          name: `Agent ${i}`,
          roles: ['agent'],
          password_hash: null,
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('team_members')
      .values(users.map((u) => ({ tenant_id: tenant.id, team_id: team.id, user_id: u.id })))
      .execute();
    await db
      .insertInto('agents')
      .values(users.map((u) => ({ user_id: u.id, tenant_id: tenant.id, presence: 'online', capacity_chat: capacity })))
      .execute();
    const signingSecret = `whsec_${randomBytes(16).toString('hex')}`;
    const channel = await db
      .insertInto('channels')
      .values({
        tenant_id: tenant.id,
        type: 'api',
        name: 'Bench API channel',
        team_id: null,
        // Nothing replies during the bench, so the callback is never called.
        config: JSON.stringify({ callbackUrl: 'http://127.0.0.1:9/callback' }),
        secrets_enc: createSecretBox(env.secretKey).seal({ signingSecret }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { tenantId: tenant.id, teamId: team.id, channelId: channel.id, signingSecret };
  } finally {
    await db.destroy();
  }
}

/** How the conversations of one phase ended, and how many messages were stored: read from Postgres. */
export async function countOutcome(env, tenantId, contactPrefix) {
  const db = createDb({ connectionString: env.databaseUrl, max: 1 });
  try {
    const rows = await db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.status'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.tenant_id', '=', tenantId)
      .where('i.external_id', 'like', `${contactPrefix}%`)
      .groupBy('c.status')
      .execute();
    const messages = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('external_id', 'like', `${contactPrefix}%`)
      .executeTakeFirstOrThrow();
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    return { byStatus, conversations: rows.reduce((s, r) => s + Number(r.n), 0), messages: Number(messages.n) };
  } finally {
    await db.destroy();
  }
}
