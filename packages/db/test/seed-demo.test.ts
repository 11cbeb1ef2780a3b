import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testEnv } from '@sapa/test-support';
import { createDb } from '../src/connect.js';
import { verifyPassword } from '../src/passwords.js';
import { createSecretBox } from '../src/secret-box.js';
import { listHolidays } from '../src/queries/holidays.js';
import { findPlaybook, listPlaybooks } from '../src/queries/playbooks.js';
import { DEMO_HOLIDAY_FILE, DEMO_PASSWORD, DEMO_PLAYBOOK_FILE, DEMO_TEAMS, seedDemoTenant, type DemoSeed } from '../src/seed-demo.js';

const TENANT_TABLES = ['teams', 'users', 'team_members', 'agents', 'channels', 'tenant_holidays', 'playbook_versions'] as const;
const holidayFile = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(DEMO_HOLIDAY_FILE), 'utf8')) as {
  source: string;
  items: Array<{ date: string; name: string; kind: string }>;
};

const playbookFile = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(DEMO_PLAYBOOK_FILE), 'utf8')) as { items: Array<{ key: string }> };

describe('demo seed', () => {
  const db = createDb({ connectionString: testEnv().databaseUrl, max: 2 });
  const secretBox = createSecretBox(testEnv().secretKey);
  // The demo slug is unique per database, and the test database is shared by the whole run.
  const tag = `demo-${randomUUID().slice(0, 8)}`;
  const options = { secretBox, slug: tag, emailDomain: `${tag}.sapa.test` };
  let first: DemoSeed;

  async function rowCounts(tenantId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TENANT_TABLES) {
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      counts[table] = row.n;
    }
    return counts;
  }

  function passwordHashes(tenantId: string) {
    return db.selectFrom('users').select(['id', 'password_hash']).where('tenant_id', '=', tenantId).orderBy('id').execute();
  }

  beforeAll(async () => {
    first = await seedDemoTenant(db, options);
  });

  afterAll(async () => {
    await db.deleteFrom('tenants').where('slug', '=', tag).execute();
    await db.destroy();
  });

  it('creates the teams, users and api channel of the contract', async () => {
    expect(Object.keys(first.teams).sort()).toEqual(DEMO_TEAMS.map((t) => t.key).sort());
    expect(Object.keys(first.users).sort()).toEqual(['admin', 'agent1', 'agent2', 'agent3', 'finance', 'lead', 'qc', 'tier2']);
    expect(first.users.admin!.roles).toEqual(['admin']);
    expect(first.users.finance!.roles).toEqual(['related_team']);
    const defaultTeam = await db.selectFrom('teams').select('key').where('tenant_id', '=', first.tenantId).where('is_default', '=', true).execute();
    expect(defaultTeam).toEqual([{ key: 'cs' }]);
    const channel = await db.selectFrom('channels').selectAll().where('id', '=', first.apiChannel.id).executeTakeFirstOrThrow();
    expect(channel).toMatchObject({ tenant_id: first.tenantId, type: 'api', name: 'Demo API', team_id: first.teams.cs });
    expect(channel.secrets_enc).not.toContain(first.apiChannel.secret);
    expect(secretBox.open(channel.secrets_enc!)).toEqual({ signingSecret: first.apiChannel.secret });
  });

  it('creates a live chat for the gateway\'s demo page and a voice webhook channel, and gives the agents extensions', async () => {
    const livechat = await db.selectFrom('channels').selectAll().where('id', '=', first.livechatChannel.id).executeTakeFirstOrThrow();
    expect(livechat).toMatchObject({ type: 'livechat', name: 'Demo Live Chat', secrets_enc: null });
    expect(livechat.config.allowedOrigins).toEqual(['http://127.0.0.1:3100', 'http://localhost:3100']);
    const voice = await db.selectFrom('channels').selectAll().where('id', '=', first.voiceChannel.id).executeTakeFirstOrThrow();
    expect(voice).toMatchObject({ type: 'voice', name: 'Demo Voice', config: { provider: 'webhook' } });
    expect(secretBox.open(voice.secrets_enc!)).toEqual({ signingSecret: first.voiceChannel.secret });
    const extensions = await db
      .selectFrom('agents')
      .select('extension')
      .where('user_id', 'in', ['agent1', 'agent2', 'agent3'].map((h) => first.users[h]!.id))
      .orderBy('extension')
      .execute();
    expect(extensions.map((a) => a.extension)).toEqual(['101', '102', '103']);
  });

  it('makes the lead the leader of cs and gives the cs agents offline capacity 5/10/1', async () => {
    const leaders = await db.selectFrom('team_members').select('user_id').where('team_id', '=', first.teams.cs!).where('is_leader', '=', true).execute();
    expect(leaders).toEqual([{ user_id: first.users.lead!.id }]);
    const agentIds = ['agent1', 'agent2', 'agent3'].map((h) => first.users[h]!.id);
    const agents = await db.selectFrom('agents').selectAll().where('user_id', 'in', agentIds).execute();
    expect(agents).toHaveLength(3);
    for (const agent of agents) {
      expect(agent).toMatchObject({ presence: 'offline', capacity_chat: 5, capacity_email: 10, capacity_voice: 1 });
    }
  });

  it('lets every contract user log in with the demo password', async () => {
    const users = await db.selectFrom('users').select(['email', 'password_hash']).where('tenant_id', '=', first.tenantId).execute();
    expect(users).toHaveLength(8);
    for (const user of users) {
      await expect(verifyPassword(user.password_hash!, DEMO_PASSWORD)).resolves.toBe(true);
    }
  });

  it('changes nothing when run again: same ids, same rows, same secret, no password re-hashed', async () => {
    const countsBefore = await rowCounts(first.tenantId);
    const hashesBefore = await passwordHashes(first.tenantId);
    const second = await seedDemoTenant(db, options);
    expect(second).toEqual(first);
    expect(await rowCounts(first.tenantId)).toEqual(countsBefore);
    expect(await passwordHashes(first.tenantId)).toEqual(hashesBefore);
  });

  it("seeds Indonesia's national holidays and cuti bersama of 2026 and 2027 from the data file, naming its source", async () => {
    const calendar = await listHolidays(db, first.tenantId);
    expect(calendar).toEqual(holidayFile.items.map(({ date, name, kind }) => ({ date, name, kind })));
    expect(first.holidays).toEqual({ source: holidayFile.source, count: holidayFile.items.length });
    expect(calendar).toContainEqual({ date: '2026-08-17', name: expect.stringMatching(/Kemerdekaan/), kind: 'national' });
    expect(calendar.filter((h) => h.kind === 'collective_leave' && h.date.startsWith('2026'))).toHaveLength(8);
    expect(calendar.some((h) => h.date.startsWith('2027'))).toBe(true);
  });

  it("keeps an admin's change to a seeded day and adds back only a day that is missing", async () => {
    const [newYear, second] = [holidayFile.items[0]!, holidayFile.items[1]!];
    await db.updateTable('tenant_holidays').set({ name: 'Tahun Baru (renamed)' }).where('tenant_id', '=', first.tenantId).where('date', '=', newYear.date).execute();
    await db.deleteFrom('tenant_holidays').where('tenant_id', '=', first.tenantId).where('date', '=', second.date).execute();
    await seedDemoTenant(db, options);
    const calendar = await listHolidays(db, first.tenantId);
    expect(calendar).toHaveLength(holidayFile.items.length);
    expect(calendar.find((h) => h.date === newYear.date)?.name).toBe('Tahun Baru (renamed)');
    expect(calendar.find((h) => h.date === second.date)?.name).toBe(second.name);
  });

  it('publishes the 23 playbooks of the SOP at version 1, the withdrawal playbook as the contract has it', async () => {
    const list = await listPlaybooks(db, first.tenantId);
    expect(list).toHaveLength(23);
    expect(list.map((p) => p.key).sort()).toEqual(playbookFile.items.map((p) => p.key).sort());
    expect(list.every((p) => p.version === 1)).toBe(true);
    expect(first.playbooks).toEqual({ count: 23 });
    const withdrawal = await findPlaybook(db, first.tenantId, 'account.balance_withdrawal');
    expect(withdrawal).toMatchObject({ key: 'account.balance_withdrawal', version: 1, dispatchTo: 'finance' });
    expect(withdrawal!.verification!.items.map((i) => i.key)).toEqual(['full_name', 'last_deposit_amount', 'final_balance', 'last_transaction_1', 'last_transaction_2']);
    expect(withdrawal!.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['bank_name', 'account_number', 'account_holder_name', 'amount', 'reason']));
  });

  it('keeps a playbook an admin published again and adds back only a missing one', async () => {
    const [kept, dropped] = [playbookFile.items[0]!.key, playbookFile.items[1]!.key];
    const body = (await db.selectFrom('playbook_versions').select('body').where('tenant_id', '=', first.tenantId).where('key', '=', kept).executeTakeFirstOrThrow()).body;
    await db.insertInto('playbook_versions').values({ tenant_id: first.tenantId, key: kept, version: 2, group: String(body.group), title: 'Edited', body: JSON.stringify({ ...body, title: 'Edited' }) }).execute();
    await db.deleteFrom('playbook_versions').where('tenant_id', '=', first.tenantId).where('key', '=', dropped).execute();
    await seedDemoTenant(db, options);
    const list = await listPlaybooks(db, first.tenantId);
    expect(list).toHaveLength(23);
    expect(list.find((p) => p.key === kept)).toMatchObject({ version: 2, title: 'Edited' });
    expect(list.find((p) => p.key === dropped)).toMatchObject({ version: 1 });
  });

  it('refuses to reuse a channel whose secret was sealed under another key', async () => {
    await expect(seedDemoTenant(db, { ...options, secretBox: createSecretBox('another-secret-key-0123456789') })).rejects.toThrow(
      /cannot be opened with this SAPA_SECRET_KEY/,
    );
  });
});
