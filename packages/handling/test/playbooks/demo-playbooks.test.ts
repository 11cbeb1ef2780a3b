import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TEAM_KEYS, loadPlaybookFile, PLAYBOOK_GROUPS, type Playbook } from '../../src/index.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'playbooks-demo.json');
const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
const file = loadPlaybookFile(raw, { teamKeys: DEMO_TEAM_KEYS });
const byKey = new Map(file.items.map((p) => [p.key, p]));
const playbook = (key: string): Playbook => {
  const found = byKey.get(key);
  if (!found) throw new Error(`no playbook ${key}`);
  return found;
};

describe('data/playbooks-demo.json (the seed SOP as the demo tenant’s playbooks)', () => {
  it('loads against the demo team keys and names its source', () => {
    expect(file.items.length).toBeGreaterThanOrEqual(23);
    expect(file.source).toMatch(/Prosedur Khusus Penanganan Keluhan/);
  });

  it('has a playbook in every group of the SOP', () => {
    expect(new Set(file.items.map((p) => p.group))).toEqual(new Set(PLAYBOOK_GROUPS));
  });

  it.each([
    ['deposit', 3],
    ['bon', 1],
    ['registration', 2],
    ['login', 2],
    ['otp', 2],
    ['account', 10],
    ['fraud', 2],
  ])('holds every row of the %s table (%i)', (group, count) => {
    expect(file.items.filter((p) => p.group === group)).toHaveLength(count);
  });

  it('has the contract’s withdrawal playbook exactly', () => {
    const w = playbook('account.balance_withdrawal');
    expect(w.group).toBe('account');
    expect(w.dispatchTo).toBe('finance');
    expect(w.verification?.items.map((i) => i.key)).toEqual(['full_name', 'last_deposit_amount', 'final_balance', 'last_transaction_1', 'last_transaction_2']);
    expect(w.verification?.rule).toEqual({ kOf: 3 });
    expect(w.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['bank_name', 'account_number', 'account_holder_name', 'amount', 'reason']));
    expect(w.fields.filter((f) => ['bank_name', 'account_number', 'account_holder_name', 'amount', 'reason'].includes(f.key)).every((f) => f.required)).toBe(true);
    expect(w.sla).toMatchObject({ workingHours: true, due: { minMinutes: 60, maxMinutes: 120 } });
    expect(w.outcomes.find((o) => o.key === 'refund')).toMatchObject({ dispatchTo: 'finance', promise: expect.stringContaining('1-2 jam kerja') });
    expect(w.gates).toEqual([
      expect.objectContaining({
        key: 'withdrawal_verification',
        appliesTo: { actions: ['dispatch'] },
        checks: [
          { kind: 'verification' },
          { kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName', normalize: 'name', waivableBy: ['team_leader'] },
        ],
      }),
    ]);
  });

  it('holds the transaction ladder: pending > 2 min, > 15 min; success not received 0 and > 24 h; wrong destination 0 min', () => {
    const t = playbook('transaction.complaint');
    expect(t.sla?.startsAt).toEqual({ field: 'transaction_time' });
    expect(t.sla?.workingHours).toBe(false);
    const ladder = Object.fromEntries((t.sla?.ladders ?? []).map((l) => [l.key, l.steps.map((s) => [s.afterMinutes, s.action])]));
    expect(ladder).toEqual({
      pending: [
        [2, 'complain_supplier'],
        [15, 'hard_complaint'],
      ],
      success_not_received: [
        [0, 'complain_supplier'],
        [1440, 'hard_complaint'],
      ],
      wrong_destination: [[0, 'no_resolution']],
    });
    expect(t.outcomes.find((o) => o.key === 'wrong_destination')?.promise).toBe('Tidak ada penyelesaian, Non-Refundable.');
  });

  it('holds the five-step transaction standard: < 30 s, < 30 s, < 1 min, per SOP, < 1 min', () => {
    expect(playbook('transaction.complaint').steps.map((s) => s.withinSeconds ?? null)).toEqual([30, 30, 60, null, 60]);
  });

  it.each([
    ['deposit.bank_transfer_missing', 'matches_ticket', undefined, 10, undefined],
    ['deposit.bank_transfer_missing', 'mismatch', 1, 30, 'finance'],
    ['deposit.transfer_without_ticket', 'manual_transfer', undefined, 1440, 'finance'],
    ['account.phone_change', 'submitted', 60, 180, 'backend'],
    ['account.name_change', 'submitted', 60, 180, 'backend'],
    ['account.balance_withdrawal', 'refund', 60, 120, 'finance'],
  ])('%s outcome %s is due within %s–%i min and goes to %s', (key, outcome, min, max, team) => {
    const o = playbook(key).outcomes.find((x) => x.key === outcome);
    expect(o?.due).toEqual(min === undefined ? { maxMinutes: max } : { minMinutes: min, maxMinutes: max });
    expect(o?.dispatchTo).toBe(team);
  });

  it('asks for a registration retry after 10 minutes', () => {
    expect(playbook('registration.error_pending').steps.map((s) => s.waitMinutes)).toContain(10);
  });

  it('counts a wrong downline transfer as recent below 24 hours', () => {
    const p = playbook('account.wrong_transfer_to_downline');
    expect(p.outcomes.find((o) => o.key === 'cancel_transfer')?.when).toContainEqual({ field: 'transfer_time', op: 'within_minutes', value: 1440 });
    expect(p.outcomes.find((o) => o.key === 'downline_withdrawal')).toMatchObject({ nextPlaybook: 'account.downline_withdrawal' });
  });

  it('needs the supervisor for a bon with an outstanding earlier bon, and the strict verification for a forgotten password', () => {
    expect(playbook('bon.credit_request').gates.find((g) => g.key === 'supervisor_approval')?.checks).toEqual([
      { kind: 'approval', approverTeams: ['supervisor'], approverRoles: ['team_leader'] },
    ]);
    const password = playbook('login.forgot_password');
    expect(password.verification).toMatchObject({ rule: { all: true }, strict: true });
    expect(password.verification?.items.map((i) => i.key)).toEqual(['full_name', 'final_balance', 'last_deposit_amount']);
  });

  it('marks the account takeover as the highest priority and sends app bugs to IT', () => {
    expect(playbook('fraud.account_takeover').priority).toBe('urgent');
    expect(playbook('account.app_error').outcomes.find((o) => o.key === 'bug_report')).toMatchObject({ dispatchTo: 'it', priority: 'high' });
  });

  it('keeps the service levels: first response within 3 minutes, FCR target 70 %', () => {
    expect(file.serviceLevels).toMatchObject({ responseTimeSeconds: 180, fcrTargetPercent: 70 });
    expect(file.conduct?.map((c) => c.key)).toEqual(['wrong_information', 'late_escalation', 'emotional_behaviour']);
  });

  it('marks bank account numbers, holder names and phone numbers as sensitive', () => {
    const fields = file.items.flatMap((p) => p.fields);
    for (const f of fields.filter((x) => ['account_number', 'account_holder_name', 'old_phone', 'new_phone'].includes(x.key))) {
      expect(f.sensitive).toBe(true);
    }
  });

  it('refuses the demo file when a team it dispatches to is not a team of the tenant', () => {
    expect(() => loadPlaybookFile(raw, { teamKeys: DEMO_TEAM_KEYS.filter((t) => t !== 'admin_server') })).toThrow(/admin_server/);
  });
});
