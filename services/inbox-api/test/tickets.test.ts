import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { publishPlaybooks } from '@sapa/db/queries/playbooks';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { demoPlaybooks } from './demo-playbooks.js';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { READY_CONTACT_NAME, READY_FIELDS } from './world.js';

const WITHDRAWAL = 'account.balance_withdrawal';
const GATE = 'withdrawal_verification';

/** The default users plus `finance`, a related-team member of team finance (the withdrawal's dispatch target). */
const USERS = {
  admin: { roles: ['admin'] },
  lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'] },
  agent1: { roles: ['agent'], teams: ['cs'] },
  agent2: { roles: ['agent'], teams: ['cs'] },
  qc: { roles: ['quality_control'] },
  tier2: { roles: ['tier2'], teams: ['tier2'] },
  finance: { roles: ['related_team'], teams: ['finance'] },
};
type User = keyof typeof USERS;

interface Desk {
  tenant: TestTenant;
  channelId: string;
}

async function createDesk(db: Kysely<DB>): Promise<Desk> {
  const tenant = await createTenant(db, USERS, ['cs', 'tier2', 'finance', 'backend']);
  const channel = await createApiChannel(db, tenant.id, { teamId: tenant.teamId });
  const withdrawal = demoPlaybooks().find((p) => p.key === WITHDRAWAL)!;
  await publishPlaybooks(db, tenant.id, [withdrawal], null);
  return { tenant, channelId: channel.id };
}

describe('tickets', () => {
  let h: Harness;
  let desk: Desk;
  let other: Desk;
  beforeAll(async () => {
    h = await createHarness();
    desk = await createDesk(h.deps.db);
    other = await createDesk(h.deps.db);
  });
  afterAll(() => h.close());

  const as = (user: User, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>, d: Desk = desk) =>
    h.app.inject({ method, url, headers: bearer(d.tenant.users[user]!.token), ...(payload ? { payload } : {}) });

  /** A conversation assigned to agent1, its contact registered under READY_CONTACT_NAME. */
  async function conversation(d: Desk = desk): Promise<string> {
    const id = await seedConversation(h.deps.db, d.tenant.id, { channelId: d.channelId, teamId: d.tenant.teamId, assigneeId: d.tenant.users.agent1!.id });
    const conv = await h.deps.db.selectFrom('conversations').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
    const res = await as('agent1', 'PATCH', `/v1/contacts/${conv.contact_id}`, { attributes: { registeredName: READY_CONTACT_NAME } }, d);
    expect(res.statusCode).toBe(200);
    return id;
  }

  async function openTicket(fields: Record<string, unknown> = READY_FIELDS, d: Desk = desk): Promise<{ id: string; number: string }> {
    const res = await as('agent1', 'POST', '/v1/tickets', { conversationId: await conversation(d), playbookKey: WITHDRAWAL, fields }, d);
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  const check = (id: string, items: string[], user: User = 'agent1') => as(user, 'POST', `/v1/tickets/${id}/verification`, { checked: items });
  const dispatch = (id: string, team: string, user: User, note?: string) => as(user, 'POST', `/v1/tickets/${id}/dispatch`, { team, ...(note ? { note } : {}) });
  const row = (id: string) => h.deps.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) => h.deps.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('created_at').orderBy('id').execute();

  /** A ticket that Tier 2 holds, its gate met. */
  async function tier2Ticket(): Promise<string> {
    const { id } = await openTicket();
    expect((await check(id, ['full_name', 'final_balance', 'last_transaction_1'])).statusCode).toBe(200);
    expect((await dispatch(id, 'tier2', 'agent1')).statusCode).toBe(200);
    return id;
  }

  it('runs a withdrawal from the agent through Tier 2 to finance and back, refusing dispatch until 3 of 5 points are verified', async () => {
    const created = await as('agent1', 'POST', '/v1/tickets', { conversationId: await conversation(), playbookKey: WITHDRAWAL, fields: READY_FIELDS });
    expect(created.statusCode).toBe(201);
    const ticket = created.json();
    expect(ticket).toMatchObject({ playbookKey: WITHDRAWAL, playbookVersion: 1, status: 'open', team: null, fields: READY_FIELDS, verification: { checked: [] }, outcome: null, dueAt: expect.any(String) });
    expect(ticket.number).toMatch(/^\d{4}-\d{6}$/);

    expect((await check(ticket.id, ['full_name', 'final_balance'])).json().verification.checked).toEqual(['full_name', 'final_balance']);
    const refused = await dispatch(ticket.id, 'tier2', 'agent1', 'Penarikan saldo');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'gate_not_met',
      details: { gate: GATE, missing: [{ kind: 'verification', need: 1, of: ['last_deposit_amount', 'last_transaction_1', 'last_transaction_2'] }] },
    });
    expect(await row(ticket.id)).toMatchObject({ status: 'open', team: null });

    // The third point; the holder name "budi  SANTOSO" equals the registered "Budi Santoso" ignoring case and spacing.
    expect((await check(ticket.id, ['last_transaction_1', 'full_name'])).json().verification.checked).toEqual(['full_name', 'final_balance', 'last_transaction_1']);
    const toTier2 = await dispatch(ticket.id, 'tier2', 'agent1', 'Penarikan saldo');
    expect(toTier2.statusCode).toBe(200);
    expect(toTier2.json()).toMatchObject({ status: 'dispatched', team: 'tier2' });

    expect((await as('tier2', 'GET', `/v1/tickets/${ticket.id}`)).statusCode).toBe(200);
    expect((await dispatch(ticket.id, 'finance', 'tier2', 'Mohon proses transfer')).json()).toMatchObject({ team: 'finance' });
    const earlyClose = await as('tier2', 'POST', `/v1/tickets/${ticket.id}/close`, { resolution: 'selesai' });
    expect([earlyClose.statusCode, earlyClose.json().error.code]).toEqual([403, 'hop_not_allowed']);

    expect((await as('finance', 'POST', `/v1/tickets/${ticket.id}/notes`, { text: 'Dana ditransfer 14:05' })).statusCode).toBe(201);
    expect((await dispatch(ticket.id, 'tier2', 'finance', 'Sudah ditransfer')).json()).toMatchObject({ team: 'tier2', status: 'dispatched' });

    const closed = await as('tier2', 'POST', `/v1/tickets/${ticket.id}/close`, { resolution: 'Nasabah sudah diinformasikan' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', team: 'tier2' });
    expect(await row(ticket.id)).toMatchObject({ resolution: 'Nasabah sudah diinformasikan', closed_at: expect.any(Date) });

    const record = await events(ticket.id);
    expect(record.map((e) => e.kind)).toEqual(['created', 'verification', 'verification', 'dispatched', 'dispatched', 'note', 'dispatched', 'closed']);
    const hops = record.filter((e) => e.kind === 'dispatched').map((e) => [e.from_team, e.to_team, e.actor_id, e.text]);
    const id = (u: User) => desk.tenant.users[u]!.id;
    expect(hops).toEqual([
      [null, 'tier2', id('agent1'), 'Penarikan saldo'],
      ['tier2', 'finance', id('tier2'), 'Mohon proses transfer'],
      ['finance', 'tier2', id('finance'), 'Sudah ditransfer'],
    ]);
  });

  it('refuses a holder name that differs from the registered name until a team leader records an exception', async () => {
    const { id } = await openTicket({ ...READY_FIELDS, account_holder_name: 'Siti Aminah' });
    await check(id, ['full_name', 'final_balance', 'last_transaction_1']);
    const refused = await dispatch(id, 'tier2', 'agent1');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({ gate: GATE, missing: [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' }] });

    const byAgent = await as('agent1', 'POST', `/v1/tickets/${id}/exceptions`, { gate: GATE, reason: 'rekening istri' });
    expect(byAgent.statusCode).toBe(403);
    const exception = await as('lead', 'POST', `/v1/tickets/${id}/exceptions`, { gate: GATE, reason: 'Disetujui manajemen: rekening istri' });
    expect(exception.statusCode).toBe(201);
    expect(exception.json()).toMatchObject({ kind: 'exception', gate: GATE, text: 'Disetujui manajemen: rekening istri' });
    expect((await dispatch(id, 'tier2', 'agent1')).statusCode).toBe(200);
  });

  it('does not let an exception waive the 3-of-5 verification', async () => {
    const { id } = await openTicket();
    await check(id, ['full_name', 'final_balance']);
    await as('lead', 'POST', `/v1/tickets/${id}/exceptions`, { gate: GATE, reason: 'buru-buru' });
    const refused = await dispatch(id, 'tier2', 'lead');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.missing).toEqual([expect.objectContaining({ kind: 'verification', need: 1 })]);
  });

  it('refuses dispatch while required fields are missing, naming them', async () => {
    const { id } = await openTicket({ bank_name: 'BCA', account_holder_name: READY_CONTACT_NAME });
    await check(id, ['full_name', 'final_balance', 'last_transaction_1']);
    const refused = await dispatch(id, 'tier2', 'agent1');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({
      gate: 'required_fields',
      missing: ['agent_id', 'amount', 'reason', 'account_number'].map((field) => ({ kind: 'field', field })),
    });
  });

  const hops: Array<[string, 'open' | 'tier2' | 'finance', User, string]> = [
    ['an agent sending an open ticket straight to finance', 'open', 'agent1', 'finance'],
    ['a team leader sending an open ticket straight to finance', 'open', 'lead', 'finance'],
    ['the agent who opened it dispatching it again once Tier 2 holds it', 'tier2', 'agent1', 'finance'],
    ['a team leader moving a ticket Tier 2 holds', 'tier2', 'lead', 'finance'],
    ['Tier 2 dispatching to itself', 'tier2', 'tier2', 'tier2'],
    ['finance sending a ticket on to backend', 'finance', 'finance', 'backend'],
    ['Tier 2 taking a ticket back from finance by dispatch', 'finance', 'tier2', 'backend'],
  ];

  it.each(hops)('refuses %s with 403 hop_not_allowed and changes nothing', async (_what, at, user, target) => {
    const id = at === 'open' ? (await openTicket()).id : await tier2Ticket();
    if (at === 'finance') expect((await dispatch(id, 'finance', 'tier2')).statusCode).toBe(200);
    const before = { ticket: await row(id), events: (await events(id)).length };
    const res = await dispatch(id, target, user);
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'hop_not_allowed']);
    expect({ ticket: await row(id), events: (await events(id)).length }).toEqual(before);
  });

  it('lets quality control read every ticket and change none (403 on every write)', async () => {
    const id = await tier2Ticket();
    expect((await as('qc', 'GET', `/v1/tickets/${id}`)).statusCode).toBe(200);
    expect((await as('qc', 'GET', '/v1/tickets')).json().items.map((t: { id: string }) => t.id)).toContain(id);
    const before = { ticket: await row(id), events: (await events(id)).length };
    const writes: Array<['POST' | 'PATCH', string, Record<string, unknown>]> = [
      ['POST', '/v1/tickets', { conversationId: await conversation(), playbookKey: WITHDRAWAL }],
      ['POST', `/v1/tickets/${id}/verification`, { checked: ['last_transaction_2'] }],
      ['PATCH', `/v1/tickets/${id}`, { fields: { bank_name: 'BRI' } }],
      ['POST', `/v1/tickets/${id}/notes`, { text: 'catatan QC' }],
      ['POST', `/v1/tickets/${id}/exceptions`, { gate: GATE, reason: 'x' }],
      ['POST', `/v1/tickets/${id}/dispatch`, { team: 'finance' }],
      ['POST', `/v1/tickets/${id}/close`, { resolution: 'x' }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await as('qc', method, url, payload);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 403, 'forbidden']);
    }
    expect({ ticket: await row(id), events: (await events(id)).length }).toEqual(before);
  });

  it('numbers tickets one after another per tenant and year, also when opened at once', async () => {
    const first = await openTicket();
    const burst = await Promise.all([1, 2, 3, 4].map(() => openTicket()));
    const [year, n] = first.number.split('-') as [string, string];
    expect(burst.map((t) => t.number).sort()).toEqual([1, 2, 3, 4].map((i) => `${year}-${String(Number(n) + i).padStart(6, '0')}`));
    const fresh = await createDesk(h.deps.db);
    expect((await openTicket(READY_FIELDS, fresh)).number).toBe(`${year}-000001`);
  });

  it('keeps notes append-only: each note is a new record, and no route edits or deletes one', async () => {
    const { id } = await openTicket();
    const a = (await as('agent1', 'POST', `/v1/tickets/${id}/notes`, { text: 'Nasabah kirim bukti' })).json();
    const b = (await as('lead', 'POST', `/v1/tickets/${id}/notes`, { text: 'Cek ulang mutasi' })).json();
    expect(a.id).not.toBe(b.id);
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await as('lead', method, `/v1/tickets/${id}/notes/${a.id}`, method === 'DELETE' ? undefined : { text: 'ubah' })).statusCode).toBe(404);
    }
    const notes = (await events(id)).filter((e) => e.kind === 'note').map((e) => [e.text, e.actor_id]);
    expect(notes).toEqual([
      ['Nasabah kirim bukti', desk.tenant.users.agent1!.id],
      ['Cek ulang mutasi', desk.tenant.users.lead!.id],
    ]);
  });

  it('keeps the playbook version a ticket started on when a stricter one is published', async () => {
    const { id } = await openTicket();
    const withdrawal = demoPlaybooks().find((p) => p.key === WITHDRAWAL)!;
    const stricter = { ...withdrawal, verification: { ...withdrawal.verification!, rule: { kOf: 5 } } };
    await publishPlaybooks(h.deps.db, desk.tenant.id, [stricter], null);
    await check(id, ['full_name', 'final_balance', 'last_transaction_1']);
    expect((await dispatch(id, 'tier2', 'agent1')).json()).toMatchObject({ playbookVersion: 1, team: 'tier2' });
    const newer = await openTicket();
    expect((await as('agent1', 'GET', `/v1/tickets/${newer.id}`)).json().playbookVersion).toBe(2);
    await check(newer.id, ['full_name', 'final_balance', 'last_transaction_1']);
    expect((await dispatch(newer.id, 'tier2', 'agent1')).statusCode).toBe(409);
    await publishPlaybooks(h.deps.db, desk.tenant.id, [withdrawal], null);
  });

  it('lists the tickets each role sees, filtered by status and team', async () => {
    const open = await openTicket();
    const atTier2 = await tier2Ticket();
    const ids = async (user: User, query = '') => ((await as(user, 'GET', `/v1/tickets${query}`)).json().items as Array<{ id: string }>).map((t) => t.id);
    expect(await ids('agent1')).toEqual(expect.arrayContaining([open.id, atTier2]));
    expect(await ids('agent2')).not.toContain(open.id);
    expect(await ids('tier2')).toContain(atTier2);
    expect(await ids('tier2')).not.toContain(open.id);
    expect(await ids('finance')).not.toContain(atTier2);
    expect(await ids('lead', '?team=tier2')).toContain(atTier2);
    expect(await ids('lead', '?team=tier2')).not.toContain(open.id);
    expect(await ids('admin', '?status=open')).not.toContain(atTier2);
    const page = (await as('admin', 'GET', '/v1/tickets?limit=1')).json();
    expect(page.items).toHaveLength(1);
    const next = (await as('admin', 'GET', `/v1/tickets?limit=1&cursor=${page.nextCursor}`)).json();
    expect(next.items[0].id).not.toBe(page.items[0].id);
  });

  describe('bad input', () => {
    let id: string;
    beforeAll(async () => {
      id = (await openTicket()).id;
    });

    const cases: Array<[string, User, () => Promise<{ method: 'POST' | 'PATCH' | 'GET'; url: string; payload?: Record<string, unknown> }>, string, string | null]> = [
      ['a ticket with a field the playbook lacks', 'agent1', async () => ({ method: 'POST', url: '/v1/tickets', payload: { conversationId: await conversation(), playbookKey: WITHDRAWAL, fields: { colour: 'red' } } }), 'validation_failed', 'colour'],
      ['a ticket with an amount as text', 'agent1', async () => ({ method: 'POST', url: '/v1/tickets', payload: { conversationId: await conversation(), playbookKey: WITHDRAWAL, fields: { amount: '250rb' } } }), 'validation_failed', 'amount'],
      ['a ticket on a playbook the tenant lacks', 'agent1', async () => ({ method: 'POST', url: '/v1/tickets', payload: { conversationId: await conversation(), playbookKey: 'account.nope' } }), 'playbook_not_found', null],
      ['a ticket without a conversation', 'agent1', async () => ({ method: 'POST', url: '/v1/tickets', payload: { playbookKey: WITHDRAWAL } }), 'validation_failed', null],
      ['fields with a bank account of letters', 'agent1', async () => ({ method: 'PATCH', url: `/v1/tickets/${id}`, payload: { fields: { account_number: 'rek-abc' } } }), 'validation_failed', 'account_number'],
      ['fields with a negative amount', 'agent1', async () => ({ method: 'PATCH', url: `/v1/tickets/${id}`, payload: { fields: { amount: -5 } } }), 'validation_failed', 'amount'],
      ['a verification item the playbook lacks', 'agent1', async () => ({ method: 'POST', url: `/v1/tickets/${id}/verification`, payload: { checked: ['full_name', 'mothers_maiden_name'] } }), 'validation_failed', null],
      ['an empty verification', 'agent1', async () => ({ method: 'POST', url: `/v1/tickets/${id}/verification`, payload: { checked: [] } }), 'validation_failed', null],
      ['a blank note', 'agent1', async () => ({ method: 'POST', url: `/v1/tickets/${id}/notes`, payload: { text: '   ' } }), 'validation_failed', null],
      ['an exception to a gate the playbook lacks', 'lead', async () => ({ method: 'POST', url: `/v1/tickets/${id}/exceptions`, payload: { gate: 'bon_outstanding', reason: 'x' } }), 'validation_failed', null],
      ['an exception without a reason', 'lead', async () => ({ method: 'POST', url: `/v1/tickets/${id}/exceptions`, payload: { gate: GATE } }), 'validation_failed', null],
      ['a dispatch to a team that is no key', 'agent1', async () => ({ method: 'POST', url: `/v1/tickets/${id}/dispatch`, payload: { team: 'Tier 2!' } }), 'validation_failed', null],
      ['a ticket id that is no uuid', 'agent1', async () => ({ method: 'GET', url: '/v1/tickets/42' }), 'validation_failed', null],
      ['a list with an unknown status', 'agent1', async () => ({ method: 'GET', url: '/v1/tickets?status=lost' }), 'validation_failed', null],
      ['a list with a cursor this API never made', 'agent1', async () => ({ method: 'GET', url: '/v1/tickets?cursor=Zm9vYmFy' }), 'invalid_cursor', null],
    ];

    it.each(cases)('refuses %s with a 4xx code and changes nothing', async (_what, user, build, code, field) => {
      const req = await build();
      const count = async () => ({
        tickets: (await h.deps.db.selectFrom('tickets').select('id').where('tenant_id', '=', desk.tenant.id).execute()).length,
        events: (await h.deps.db.selectFrom('ticket_events').select('id').where('tenant_id', '=', desk.tenant.id).execute()).length,
        ticket: await row(id),
      });
      const before = await count();
      const res = await as(user, req.method, req.url, req.payload);
      expect(res.statusCode).toBe(code === 'playbook_not_found' ? 404 : 400);
      expect(res.json().error.code).toBe(code);
      if (field) expect(res.json().error.details.errors).toEqual([expect.objectContaining({ field, path: `fields.${field}` })]);
      expect(await count()).toEqual(before);
    });

    it('refuses a blank resolution on close with 400, leaving the ticket open', async () => {
      const t = await tier2Ticket();
      const res = await as('tier2', 'POST', `/v1/tickets/${t}/close`, { resolution: '  ' });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
      expect(await row(t)).toMatchObject({ status: 'dispatched', closed_at: null });
    });

    it('refuses any change to a closed ticket with 409 ticket_closed', async () => {
      const t = await tier2Ticket();
      expect((await as('tier2', 'POST', `/v1/tickets/${t}/close`, { resolution: 'selesai' })).statusCode).toBe(200);
      for (const [method, url, payload] of [
        ['POST', `/v1/tickets/${t}/notes`, { text: 'lagi' }],
        ['POST', `/v1/tickets/${t}/dispatch`, { team: 'finance' }],
        ['POST', `/v1/tickets/${t}/close`, { resolution: 'lagi' }],
      ] as const) {
        const res = await as('tier2', method, url, payload);
        expect([url, res.statusCode, res.json().error.code]).toEqual([url, 409, 'ticket_closed']);
      }
    });
  });

  describe('tenant walls', () => {
    it.each([
      ['GET', '', undefined],
      ['POST', '/notes', { text: 'x' }],
      ['POST', '/verification', { checked: ['full_name'] }],
      ['PATCH', '', { fields: { bank_name: 'BRI' } }],
      ['POST', '/dispatch', { team: 'tier2' }],
      ['POST', '/exceptions', { gate: GATE, reason: 'x' }],
    ] as const)("answers %s /v1/tickets/{id}%s on another tenant's ticket with 404 ticket_not_found", async (method, suffix, payload) => {
      const { id } = await openTicket();
      const res = await as('lead', method, `/v1/tickets/${id}${suffix}`, payload, other);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'ticket_not_found']);
    });

    it("lists none of another tenant's tickets and opens none on its conversations", async () => {
      const { id } = await openTicket();
      const items = (await as('admin', 'GET', '/v1/tickets?limit=100', undefined, other)).json().items as Array<{ id: string }>;
      expect(items.map((t) => t.id)).not.toContain(id);
      const res = await as('lead', 'POST', '/v1/tickets', { conversationId: await conversation(), playbookKey: WITHDRAWAL }, other);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'conversation_not_found']);
    });
  });
});
