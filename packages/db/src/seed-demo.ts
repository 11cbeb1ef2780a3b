import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_PRE_CHAT_FORM } from '@sapa/contracts';
import { DEMO_TEAM_KEYS, loadHolidayFile, loadPlaybooks } from '@sapa/handling';
import { hashPassword } from './passwords.js';
import { addHolidays } from './queries/holidays.js';
import { listPlaybooks } from './queries/playbooks.js';
import { listRoutingRules, replaceRoutingRules } from './queries/routing-rules.js';
import type { DB } from './schema.js';
import type { SecretBox } from './secret-box.js';

/** The demo users' password (api-contract.md §Defaults). */
export const DEMO_PASSWORD = 'demo12345';

/** Teams of the demo tenant, `cs` first: it is the default team, where channels without a team route. */
export const DEMO_TEAMS = [
  { key: 'cs', name: 'Customer Service' },
  { key: 'tier2', name: 'Tier 2' },
  { key: 'finance', name: 'Finance' },
  { key: 'backend', name: 'Back-End' },
  { key: 'admin_server', name: 'Admin Server' },
  { key: 'it', name: 'IT' },
  { key: 'supervisor', name: 'Supervisor' },
] as const;

interface DemoUserSpec {
  /** Local part of the email, and the key of the user in the seed's result. */
  handle: string;
  name: string;
  roles: string[];
  team?: string;
  leader?: boolean;
  /** What routing matches on (issue 6): skill levels and languages served. */
  skills?: Record<string, number>;
  languages?: string[];
  /** The agent's PBX extension, which voice call events name. */
  extension?: string;
}

/** Users of api-contract.md §Defaults. Everyone in a team gets an agents row (offline), as in the test fixtures. */
const DEMO_USERS: DemoUserSpec[] = [
  { handle: 'admin', name: 'Admin Demo', roles: ['admin'] },
  { handle: 'lead', name: 'Rina Lestari', roles: ['team_leader'], team: 'cs', leader: true },
  { handle: 'agent1', name: 'Budi Santoso', roles: ['agent'], team: 'cs', skills: { deposit: 3, transaction: 3 }, languages: ['id'], extension: '101' },
  { handle: 'agent2', name: 'Sari Wulandari', roles: ['agent'], team: 'cs', skills: { fraud: 4, account: 3 }, languages: ['id', 'en'], extension: '102' },
  { handle: 'agent3', name: 'Dewi Anggraini', roles: ['agent'], team: 'cs', skills: { deposit: 2, bon: 3 }, languages: ['id', 'jv'], extension: '103' },
  { handle: 'tier2', name: 'Tier 2 Demo', roles: ['tier2'], team: 'tier2' },
  { handle: 'qc', name: 'QC Demo', roles: ['quality_control'] },
  { handle: 'finance', name: 'Finance Demo', roles: ['related_team'], team: 'finance' },
];

/** Indonesia's national holidays and cuti bersama 2026–2027, with the decree they come from (packages/handling/data). */
export const DEMO_HOLIDAY_FILE = '@sapa/handling/data/holidays-id-2026-2027.json';

/** The complaint SOP as the demo tenant's playbooks (packages/handling/data, 23 playbooks). */
export const DEMO_PLAYBOOK_FILE = '@sapa/handling/data/playbooks-demo.json';

export const DEMO_API_CHANNEL_NAME = 'Demo API';
export const DEMO_LIVECHAT_CHANNEL_NAME = 'Demo Live Chat';
export const DEMO_VOICE_CHANNEL_NAME = 'Demo Voice';
/** The websites the demo live chat may be embedded in: the gateway's own demo page (`/livechat/demo`). */
export const DEMO_LIVECHAT_ORIGINS = ['http://127.0.0.1:3100', 'http://localhost:3100'];
/** Where the demo channel POSTs agents' replies; integrators change it with their own receiver. */
export const DEMO_CALLBACK_URL = 'http://127.0.0.1:3999/sapa-callback';

export interface SeedDemoOptions {
  /** Seals the api channel's signing secret at rest (SAPA_SECRET_KEY). */
  secretBox: SecretBox;
  /** Tenant slug; `demo` unless a test needs a tenant of its own. */
  slug?: string;
  /** Domain of the users' emails; `demo.sapa.test` unless a test needs its own. */
  emailDomain?: string;
}

export interface DemoUser {
  id: string;
  email: string;
  roles: string[];
}

export interface DemoSeed {
  tenantId: string;
  teams: Record<string, string>;
  apiChannel: { id: string; secret: string; callbackUrl: string };
  /** The live chat, embeddable on the gateway's demo page. */
  livechatChannel: { id: string };
  /** A voice channel of provider `webhook`: call events signed like the api channel's messages. */
  voiceChannel: { id: string; secret: string };
  /** By handle: admin, lead, agent1 … agent3, tier2, qc, finance. */
  users: Record<string, DemoUser>;
  /** The holiday calendar: where the seeded days come from, and how many days the calendar holds. */
  holidays: { source: string; count: number };
  /** How many playbooks the tenant has (the seeded ones at version 1, unless an admin published since). */
  playbooks: { count: number };
}

/**
 * Creates the demo tenant of api-contract.md §Defaults, or finds it. Idempotent: rows are looked up by
 * their natural keys (tenant slug, team key, lower(email), channel name) and only missing ones are
 * inserted, so a second run writes nothing, re-hashes no password and keeps the channel's secret.
 */
export async function seedDemoTenant(db: Kysely<DB>, options: SeedDemoOptions): Promise<DemoSeed> {
  const slug = options.slug ?? 'demo';
  const emailDomain = options.emailDomain ?? 'demo.sapa.test';
  return db.transaction().execute(async (trx) => {
    // Two starters seeding at once (e.g. compose replicas) take turns; the channel has no unique key to lean on.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`sapa.seed-demo:${slug}`}))`.execute(trx);
    const tenantId = await ensureTenant(trx, slug);
    const teams = await ensureTeams(trx, tenantId);
    const users: Record<string, DemoUser> = {};
    for (const spec of DEMO_USERS) {
      users[spec.handle] = await ensureUser(trx, tenantId, teams, `${spec.handle}@${emailDomain}`, spec);
    }
    const api = await ensureChannel(trx, tenantId, teams.cs!, options.secretBox, { type: 'api', name: DEMO_API_CHANNEL_NAME, config: { callbackUrl: DEMO_CALLBACK_URL }, signed: true });
    const apiChannel = { id: api.id, secret: api.secret!, callbackUrl: String(api.config.callbackUrl ?? '') };
    const livechat = await ensureChannel(trx, tenantId, teams.cs!, options.secretBox, {
      type: 'livechat',
      name: DEMO_LIVECHAT_CHANNEL_NAME,
      config: { allowedOrigins: DEMO_LIVECHAT_ORIGINS, preChatForm: DEFAULT_PRE_CHAT_FORM },
      signed: false,
    });
    const voice = await ensureChannel(trx, tenantId, teams.cs!, options.secretBox, { type: 'voice', name: DEMO_VOICE_CHANNEL_NAME, config: { provider: 'webhook' }, signed: true });
    const holidays = await ensureHolidays(trx, tenantId);
    const playbooks = await ensurePlaybooks(trx, tenantId);
    await ensureRoutingRules(trx, tenantId, teams);
    return { tenantId, teams, apiChannel, livechatChannel: { id: livechat.id }, voiceChannel: { id: voice.id, secret: voice.secret! }, users, holidays, playbooks };
  });
}

async function ensureTenant(trx: Transaction<DB>, slug: string): Promise<string> {
  await trx
    .insertInto('tenants')
    .values({ slug, name: slug === 'demo' ? 'Demo Sapa' : `Demo Sapa (${slug})`, settings: '{}' })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const tenant = await trx.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return tenant.id;
}

async function ensureTeams(trx: Transaction<DB>, tenantId: string): Promise<Record<string, string>> {
  const existing = await trx.selectFrom('teams').select(['id', 'key', 'is_default']).where('tenant_id', '=', tenantId).execute();
  // An admin may have made another team the default since; the seed does not take it back.
  const hasDefault = existing.some((t) => t.is_default);
  const missing = DEMO_TEAMS.filter((t) => !existing.some((e) => e.key === t.key));
  if (missing.length > 0) {
    await trx
      .insertInto('teams')
      .values(missing.map((t) => ({ tenant_id: tenantId, key: t.key, name: t.name, is_default: t.key === 'cs' && !hasDefault })))
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
      .execute();
  }
  const rows = await trx.selectFrom('teams').select(['id', 'key']).where('tenant_id', '=', tenantId).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}

async function ensureUser(
  trx: Transaction<DB>,
  tenantId: string,
  teams: Record<string, string>,
  email: string,
  spec: DemoUserSpec,
): Promise<DemoUser> {
  let user = await findUserByEmail(trx, email);
  if (!user) {
    // Hashing only for a user about to be created keeps a second run from rewriting any password.
    await trx
      .insertInto('users')
      .values({ tenant_id: tenantId, email, name: spec.name, roles: spec.roles, password_hash: await hashPassword(DEMO_PASSWORD) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    user = await findUserByEmail(trx, email);
  }
  if (!user) throw new Error(`seed: could not create user ${email}`);
  if (user.tenant_id !== tenantId) {
    throw new Error(`seed: ${email} already belongs to another tenant; pick another email domain for the demo tenant`);
  }
  const teamId = spec.team ? teams[spec.team] : undefined;
  if (teamId) {
    await trx
      .insertInto('team_members')
      .values({ tenant_id: tenantId, team_id: teamId, user_id: user.id, is_leader: spec.leader ?? false })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
      .execute();
    await trx
      .insertInto('agents')
      .values({
        user_id: user.id,
        tenant_id: tenantId,
        presence: 'offline',
        capacity_chat: 5,
        capacity_email: 10,
        capacity_voice: 1,
        skills: JSON.stringify(spec.skills ?? {}),
        languages: spec.languages ?? [],
        extension: spec.extension ?? null,
      })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }
  return { id: user.id, email: user.email, roles: user.roles };
}

function findUserByEmail(trx: Transaction<DB>, email: string) {
  return trx
    .selectFrom('users')
    .select(['id', 'tenant_id', 'email', 'roles'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/**
 * Adds the days of the data file whose date the calendar lacks; a date an admin has since renamed or re-kinded
 * keeps the admin's entry (addHolidays never overwrites), so a second run adds nothing.
 */
async function ensureHolidays(trx: Transaction<DB>, tenantId: string): Promise<DemoSeed['holidays']> {
  const path = createRequire(import.meta.url).resolve(DEMO_HOLIDAY_FILE);
  const file = loadHolidayFile(JSON.parse(readFileSync(path, 'utf8')));
  const { items } = await addHolidays(trx, tenantId, file.items);
  return { source: file.source, count: items.length };
}

/**
 * Publishes version 1 of each playbook of the data file whose key the tenant lacks; a key an admin has since
 * published again keeps the admin's versions, so a second run writes nothing.
 */
async function ensurePlaybooks(trx: Transaction<DB>, tenantId: string): Promise<DemoSeed['playbooks']> {
  const path = createRequire(import.meta.url).resolve(DEMO_PLAYBOOK_FILE);
  const items = loadPlaybooks(JSON.parse(readFileSync(path, 'utf8')), { teamKeys: DEMO_TEAM_KEYS });
  const have = new Set((await listPlaybooks(trx, tenantId)).map((p) => p.key));
  const missing = items.filter((p) => !have.has(p.key));
  if (missing.length > 0) {
    await trx
      .insertInto('playbook_versions')
      .values(
        missing.map(({ version: _file, ...body }) => ({ tenant_id: tenantId, key: body.key, version: 1, group: body.group, title: body.title, body: JSON.stringify(body), published_by: null })),
      )
      .execute();
  }
  return { count: (await listPlaybooks(trx, tenantId)).length };
}

/**
 * The demo's routing rules, written only while the tenant has none (an admin's own list is kept): fraud reports to
 * an agent with the fraud skill (their priority is built in), English speakers to an agent who serves English, VIP
 * contacts ahead of the queue.
 */
async function ensureRoutingRules(trx: Transaction<DB>, tenantId: string, teams: Record<string, string>): Promise<void> {
  if ((await listRoutingRules(trx, tenantId)).length > 0) return;
  await replaceRoutingRules(trx, tenantId, [
    { key: 'fraud_desk', name: 'Laporan penipuan ke agen dengan skill fraud', when: { playbookGroups: ['fraud'] }, then: { skills: [{ key: 'fraud', level: 3 }] } },
    { key: 'english', name: 'Pelanggan berbahasa Inggris', when: { keywords: ['hello', 'hi there', 'please', 'thank you'] }, then: { language: 'en' } },
    { key: 'vip', name: 'Agen VIP didahulukan', when: { contactAttributes: { vip: true } }, then: { teamId: teams.cs!, priority: 50 } },
  ]);
}

/**
 * A demo channel by its name, created when missing. A `signed` one (api, voice webhook) gets a signing secret, sealed
 * at rest, and the seed reads it back on every run so the banner can show it.
 */
async function ensureChannel(
  trx: Transaction<DB>,
  tenantId: string,
  teamId: string,
  secretBox: SecretBox,
  spec: { type: string; name: string; config: Record<string, unknown>; signed: boolean },
): Promise<{ id: string; config: Record<string, unknown>; secret?: string }> {
  const found = await trx
    .selectFrom('channels')
    .select(['id', 'config', 'secrets_enc'])
    .where('tenant_id', '=', tenantId)
    .where('type', '=', spec.type)
    .where('name', '=', spec.name)
    .orderBy('created_at')
    .executeTakeFirst();
  if (found) {
    return { id: found.id, config: found.config, ...(spec.signed && { secret: openSigningSecret(secretBox, found.secrets_enc, spec.name) }) };
  }
  const secret = spec.signed ? `whsec_${randomBytes(24).toString('hex')}` : undefined;
  const created = await trx
    .insertInto('channels')
    .values({
      tenant_id: tenantId,
      type: spec.type,
      name: spec.name,
      team_id: teamId,
      config: JSON.stringify(spec.config),
      secrets_enc: secret === undefined ? null : secretBox.seal({ signingSecret: secret }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: created.id, config: spec.config, ...(secret !== undefined && { secret }) };
}

function openSigningSecret(secretBox: SecretBox, sealed: string | null, channelName: string): string {
  try {
    const secret = sealed ? secretBox.open<{ signingSecret?: unknown }>(sealed).signingSecret : undefined;
    if (typeof secret === 'string') return secret;
  } catch {
    // falls through to the explanation below
  }
  throw new Error(
    `seed: the "${channelName}" channel's secret cannot be opened with this SAPA_SECRET_KEY; ` +
      'use the key it was sealed with (./.sapa/secret.key for `npm start`) or delete that channel',
  );
}
