import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { publishPlaybooks } from '@sapa/db/queries/playbooks';
import { DEMO_TEAM_KEYS, loadPlaybooks } from '@sapa/handling';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { startStack, waitFor } from '../support/stack.js';

/** One wall-clock minute of a playbook SLA lasts this long here: "2 minutes" is 0.4 s, "15 minutes" 3 s. */
const MINUTE_MS = 200;

const USERS = {
  admin: { roles: ['admin'] },
  lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'] },
  agent1: { roles: ['agent'], teams: ['cs'] },
  tier2: { roles: ['tier2'], teams: ['tier2'] },
  tier2lead: { roles: ['team_leader', 'tier2'], teams: ['tier2'], leaderOf: ['tier2'] },
  finance: { roles: ['related_team'], teams: ['finance'] },
};

const DEMO_FILE = createRequire(import.meta.url).resolve('@sapa/handling/data/playbooks-demo.json');
const demo = () => loadPlaybooks(JSON.parse(readFileSync(DEMO_FILE, 'utf8')), { teamKeys: DEMO_TEAM_KEYS });

/**
 * issue 5 item 8, end to end through HTTP, queues and the WebSocket, with every service running: a withdrawal that
 * arrives as a chat and goes agent → Tier 2 → Finance → Tier 2 → closed with its gate refusing until the third
 * verification point; a pending transaction whose 2- and 15-minute reminders fire (minutes shortened by
 * configuration); and a deposit whose due time passes, alerting the team's leaders.
 */
describe('complaint tickets through a chat', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let tenant: TestTenant;
  let channelId: string;
  let secret: string;
  const token = (user: keyof typeof USERS) => tenant.users[user]!.token;

  beforeAll(async () => {
    stack = await startStack({ tickets: true, slaMinuteMs: MINUTE_MS });
    tenant = await createTenant(stack.db, USERS, ['cs', 'tier2', 'finance', 'backend', 'supervisor']);
    await publishPlaybooks(stack.db, tenant.id, demo(), null);
    const created = await stack.api('POST', '/v1/channels', token('admin'), { type: 'api', name: 'Chat Agen', config: { callbackUrl: 'http://127.0.0.1:9/unused' } });
    expect(created.status).toBe(201);
    ({ id: channelId, secret } = created.body);
    expect((await stack.api('PUT', '/v1/agents/me/presence', token('agent1'), { status: 'online' })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A customer writes on the chat; answers the conversation once the router has given it to agent1. */
  async function chat(from: string, name: string, text: string): Promise<{ id: string; contact: { id: string } }> {
    const hook = await stack.postWebhook(channelId, secret, { messageId: `chat-${randomUUID()}`, from: { id: from, name }, text });
    expect(hook.status).toBe(202);
    return waitFor(async () => {
      const list = await stack.api('GET', '/v1/conversations?assignee=me', token('agent1'));
      return list.body.items.find((c: { contact: { name: string }; status: string }) => c.contact.name === name && c.status === 'assigned');
    });
  }

  it('takes a balance withdrawal from the chat to Finance and back, refusing dispatch until three points are verified', async () => {
    const conversation = await chat('agen-0812', 'Budi Santoso', 'Saya mau tarik saldo deposit, usaha saya tutup');
    const agent = token('agent1');
    expect((await stack.api('PATCH', `/v1/contacts/${conversation.contact.id}`, agent, { attributes: { registeredName: 'Budi Santoso', agentId: 'AG-1001' } })).status).toBe(200);

    const opened = await stack.api('POST', '/v1/tickets', agent, {
      conversationId: conversation.id,
      playbookKey: 'account.balance_withdrawal',
      fields: { agent_id: 'AG-1001', amount: 750_000, reason: 'Tutup usaha', bank_name: 'BCA', account_number: '1234567890', account_holder_name: 'BUDI SANTOSO' },
    });
    expect(opened.status).toBe(201);
    const ticket = opened.body;
    expect(ticket.number).toMatch(/^\d{4}-\d{6}$/);
    expect(ticket.dueAt).not.toBeNull();

    expect((await stack.api('POST', `/v1/tickets/${ticket.id}/verification`, agent, { checked: ['full_name', 'final_balance'] })).status).toBe(200);
    const refused = await stack.api('POST', `/v1/tickets/${ticket.id}/dispatch`, agent, { team: 'tier2' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'gate_not_met', details: { gate: 'withdrawal_verification', missing: [{ kind: 'verification', need: 1 }] } });

    expect((await stack.api('POST', `/v1/tickets/${ticket.id}/verification`, agent, { checked: ['last_transaction_1'] })).status).toBe(200);
    const toTier2 = await stack.api('POST', `/v1/tickets/${ticket.id}/dispatch`, agent, { team: 'tier2', note: 'Penarikan saldo, 3 dari 5 poin terverifikasi' });
    expect([toTier2.status, toTier2.body.team]).toEqual([200, 'tier2']);
    const toFinance = await stack.api('POST', `/v1/tickets/${ticket.id}/dispatch`, token('tier2'), { team: 'finance', note: 'Mohon transfer' });
    expect([toFinance.status, toFinance.body.team]).toEqual([200, 'finance']);
    expect((await stack.api('POST', `/v1/tickets/${ticket.id}/notes`, token('finance'), { text: 'Sudah ditransfer ke BCA 1234567890' })).status).toBe(201);
    expect((await stack.api('POST', `/v1/tickets/${ticket.id}/dispatch`, token('finance'), { team: 'tier2' })).body.team).toBe('tier2');
    const closed = await stack.api('POST', `/v1/tickets/${ticket.id}/close`, token('tier2'), { resolution: 'Dana diterima agen, dikonfirmasi via chat' });
    expect([closed.status, closed.body.status]).toEqual([200, 'closed']);

    const record = await stack.api('GET', `/v1/tickets/${ticket.id}/events`, token('lead'));
    const hops = record.body.items.filter((e: { kind: string }) => e.kind === 'dispatched');
    expect(hops.map((e: { fromTeam: string | null; toTeam: string }) => [e.fromTeam, e.toTeam])).toEqual([
      [null, 'tier2'],
      ['tier2', 'finance'],
      ['finance', 'tier2'],
    ]);
    expect(hops.every((e: { dueAt: string }) => e.dueAt === ticket.dueAt)).toBe(true);
    expect(record.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'created', 'verification', 'verification', 'dispatched', 'dispatched', 'note', 'dispatched', 'closed',
    ]);
    // A closed ticket keeps no timer waiting.
    const left = await stack.db.selectFrom('ticket_timers').select('id').where('ticket_id', '=', ticket.id).where('fired_at', 'is', null).execute();
    expect(left).toEqual([]);
  });

  it('reminds the agent of a pending transaction after 2 and after 15 minutes, on the live stream and in the record', async () => {
    const live = await stack.stream(token('agent1'));
    try {
      const conversation = await chat('agen-0857', 'Sari Dewi', 'Pulsa 50rb ke 0812 belum masuk dari tadi');
      const transactionTime = new Date();
      const opened = await stack.api('POST', '/v1/tickets', token('agent1'), {
        conversationId: conversation.id,
        playbookKey: 'transaction.complaint',
        fields: { agent_id: 'AG-2002', destination_number: '081234567890', product: 'Pulsa 50.000', transaction_time: transactionTime.toISOString(), transaction_status: 'pending' },
      });
      expect(opened.status).toBe(201);
      const id = opened.body.id as string;

      const reminders = await waitFor(async () => {
        const record = await stack.api('GET', `/v1/tickets/${id}/events`, token('agent1'));
        const found = record.body.items.filter((e: { kind: string }) => e.kind === 'reminder');
        return found.length === 2 ? found : undefined;
      }, 15_000);
      expect(reminders.map((r: { details: { key: string; action: string } }) => [r.details.key, r.details.action])).toEqual([
        ['pending.0', 'complain_supplier'],
        ['pending.1', 'hard_complaint'],
      ]);
      expect(reminders[0].text).toBe('> 2 Menit : komplain suplier');
      // Each came at its time, counted from the transaction time: 2 and 15 shortened minutes.
      const at = (r: { createdAt: string }) => Date.parse(r.createdAt) - transactionTime.getTime();
      expect(at(reminders[0])).toBeGreaterThanOrEqual(2 * MINUTE_MS - 250);
      expect(at(reminders[1])).toBeGreaterThanOrEqual(15 * MINUTE_MS - 250);

      const pushed = await waitFor(() => {
        const frames = live.frames.filter((f) => f.type === 'ticket.updated' && f.data.id === id && (f.data.change as { kind: string }).kind === 'reminder');
        return frames.length >= 2 ? frames : undefined;
      }, 15_000);
      expect(pushed.map((f) => (f.data.change as { key: string }).key).sort()).toEqual(['pending.0', 'pending.1']);
    } finally {
      live.close();
    }
  });

  it('marks a deposit breached when its due time passes, and alerts only the team’s leaders', async () => {
    const lead = await stack.stream(token('lead'));
    const agent = await stack.stream(token('agent1'));
    try {
      const conversation = await chat('agen-0899', 'Rina Wati', 'Transfer deposit 1 juta belum masuk');
      const opened = await stack.api('POST', '/v1/tickets', token('agent1'), {
        conversationId: conversation.id,
        playbookKey: 'deposit.bank_transfer_missing',
        fields: { transfer_proof: 'bukti.jpg', transfer_time: new Date().toISOString(), amount: 1_000_000, destination_bank: 'BCA', agent_id: 'AG-3003', matches_ticket: true },
      });
      const id = opened.body.id as string;
      // "Saldo masuk maks. 10 menit": 2 s here.
      const chosen = await stack.api('PATCH', `/v1/tickets/${id}`, token('agent1'), { outcome: 'matches_ticket' });
      expect(chosen.status).toBe(200);
      expect(Date.parse(chosen.body.dueAt) - Date.parse(chosen.body.createdAt)).toBe(10 * MINUTE_MS);

      const alert = await waitFor(() => lead.frames.find((f) => f.type === 'sla.breached' && f.data.ticketId === id), 15_000);
      expect(alert.data).toMatchObject({ subject: 'ticket', number: opened.body.number, dueAt: chosen.body.dueAt });
      const breached = await stack.api('GET', '/v1/tickets?breached=true', token('lead'));
      expect(breached.body.items.find((t: { id: string }) => t.id === id)).toMatchObject({ breached: true });
      expect(breached.body.items.find((t: { id: string }) => t.id === id).breachedAt).not.toBeNull();
      // The agent hears the ticket changed, not the leaders' alert.
      await waitFor(() => agent.frames.find((f) => f.type === 'ticket.updated' && f.data.id === id && (f.data.change as { kind: string }).kind === 'sla_breached'));
      expect(agent.frames.some((f) => f.type === 'sla.breached')).toBe(false);

      const now = new Date();
      const report = await stack.api('GET', `/v1/reports/service-level?from=${new Date(now.getTime() - 3_600_000).toISOString()}&to=${new Date(now.getTime() + 60_000).toISOString()}`, token('admin'));
      expect(report.body.breaches).toBeGreaterThanOrEqual(1);
    } finally {
      lead.close();
      agent.close();
    }
  });
});
