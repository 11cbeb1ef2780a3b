import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkDispatchGates,
  checkGate,
  checkResolveGates,
  DEMO_TEAM_KEYS,
  gateIsWaivable,
  loadPlaybooks,
  missingRequiredFields,
  type GateInput,
  type Playbook,
} from '../../src/index.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'playbooks-demo.json');
const playbooks = loadPlaybooks(JSON.parse(readFileSync(path, 'utf8')), { teamKeys: DEMO_TEAM_KEYS });
const playbook = (key: string): Playbook => playbooks.find((p) => p.key === key) as Playbook;
const input = (over: Partial<GateInput> = {}): GateInput => ({ checkedItems: [], fields: {}, contactAttributes: {}, ...over });

describe('the withdrawal gate (account.balance_withdrawal → 3 of 5 and holder name = registered name)', () => {
  const withdrawal = playbook('account.balance_withdrawal');
  const registered = { registeredName: 'Budi Santoso' };
  const three = ['full_name', 'final_balance', 'last_transaction_2'];
  const two = ['full_name', 'final_balance'];
  const gate = (over: Partial<GateInput>) => checkGate(withdrawal, 'withdrawal_verification', input({ contactAttributes: registered, ...over }));

  it.each([
    ['3 of 5 checked and the same name', three, 'Budi Santoso'],
    ['all 5 checked', ['full_name', 'last_deposit_amount', 'final_balance', 'last_transaction_1', 'last_transaction_2'], 'Budi Santoso'],
    ['a name in capitals, as banks print it', three, 'BUDI SANTOSO'],
    ['a name with doubled and trailing spaces', three, '  budi   santoso '],
    ['a name without its space', three, 'BudiSantoso'],
    ['a name with a tab and a non-breaking space', three, 'Budi\t\u00a0Santoso'],
  ])('lets through %s', (_name, checkedItems, holder) => {
    expect(gate({ checkedItems, fields: { account_holder_name: holder } })).toEqual({ ok: true, waived: [] });
  });

  it.each([
    ['2 of 5 checked', two, 'Budi Santoso', [{ kind: 'verification', need: 1, of: ['last_deposit_amount', 'last_transaction_1', 'last_transaction_2'] }]],
    ['nothing checked', [], 'Budi Santoso', [{ kind: 'verification', need: 3, of: ['full_name', 'last_deposit_amount', 'final_balance', 'last_transaction_1', 'last_transaction_2'] }]],
    ['items that are not of this playbook', ['agent_id', 'registered_phone', 'full_name'], 'Budi Santoso', [{ kind: 'verification', need: 2, of: ['last_deposit_amount', 'final_balance', 'last_transaction_1', 'last_transaction_2'] }]],
    ['a name differing in a letter', three, 'Budi Santosa', [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' }]],
    ['someone else’s name', three, 'Siti Aminah', [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' }]],
    ['a name with an extra word', three, 'Budi Santoso Putra', [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' }]],
    ['no holder name yet', three, undefined, [{ kind: 'field', field: 'account_holder_name' }]],
    ['a blank holder name', three, '   ', [{ kind: 'field', field: 'account_holder_name' }]],
    [
      '2 of 5 and a different name: both missing',
      two,
      'Siti Aminah',
      [
        { kind: 'verification', need: 1, of: ['last_deposit_amount', 'last_transaction_1', 'last_transaction_2'] },
        { kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' },
      ],
    ],
  ])('refuses %s', (_name, checkedItems, holder, missing) => {
    expect(gate({ checkedItems, fields: holder === undefined ? {} : { account_holder_name: holder } })).toEqual({
      ok: false,
      gate: 'withdrawal_verification',
      missing,
    });
  });

  it('refuses when the contact has no registered name to compare with', () => {
    expect(gate({ checkedItems: three, fields: { account_holder_name: 'Budi' }, contactAttributes: {} })).toMatchObject({
      ok: false,
      missing: [{ kind: 'contact_attribute', attribute: 'registeredName' }],
    });
  });

  it('lets a different name through when a team leader recorded an exception for the gate, and says what it waived', () => {
    const result = gate({ checkedItems: three, fields: { account_holder_name: 'Siti Aminah' }, exceptions: [{ gate: 'withdrawal_verification', role: 'team_leader' }] });
    expect(result).toEqual({ ok: true, waived: [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName' }] });
  });

  it.each([
    ['an exception does not replace the 3 of 5 points', { checkedItems: two, exceptions: [{ gate: 'withdrawal_verification', role: 'team_leader' as const }] }, 'verification'],
    ['an exception by an agent does not count', { checkedItems: three, exceptions: [{ gate: 'withdrawal_verification', role: 'agent' as const }] }, 'attribute_match'],
    ['an exception by tier 2 does not count', { checkedItems: three, exceptions: [{ gate: 'withdrawal_verification', role: 'tier2' as const }] }, 'attribute_match'],
    ['an exception for another gate does not count', { checkedItems: three, exceptions: [{ gate: 'supervisor_approval', role: 'team_leader' as const }] }, 'attribute_match'],
  ])('%s', (_name, over, kind) => {
    const result = gate({ fields: { account_holder_name: 'Siti Aminah' }, ...over });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.missing.map((m) => m.kind)).toEqual([kind]);
  });

  it.each(DEMO_TEAM_KEYS.map((t) => [t]))('blocks a dispatch to %s until it holds', (team) => {
    const refused = checkDispatchGates(withdrawal, input({ checkedItems: two, fields: { account_holder_name: 'Budi Santoso' }, contactAttributes: registered }), team);
    expect(refused).toMatchObject({ ok: false, gate: 'withdrawal_verification', missing: [{ kind: 'verification', need: 1 }] });
    const allowed = checkDispatchGates(withdrawal, input({ checkedItems: three, fields: { account_holder_name: 'Budi Santoso' }, contactAttributes: registered }), team);
    expect(allowed).toEqual({ ok: true, waived: [] });
  });

  it('says which gates a team leader may waive', () => {
    expect(gateIsWaivable(withdrawal, 'withdrawal_verification', 'team_leader')).toBe(true);
    expect(gateIsWaivable(withdrawal, 'withdrawal_verification', 'agent')).toBe(false);
    expect(gateIsWaivable(playbook('login.forgot_password'), 'strict_verification', 'team_leader')).toBe(false);
  });
});

describe('the bon / TOP gate (an outstanding earlier bon needs the supervisor)', () => {
  const bon = playbook('bon.credit_request');
  const verified = { checkedItems: ['agent_id'] };
  const approval = { kind: 'approval', approverTeams: ['supervisor'], approverRoles: ['team_leader'] };

  it.each<[string, Partial<GateInput>, boolean]>([
    ['no outstanding bon', { fields: { has_outstanding_bon: false } }, true],
    ['an outstanding bon without approval', { fields: { has_outstanding_bon: true } }, false],
    ['the outstanding-bon question not answered yet', { fields: {} }, false],
    ['an outstanding bon approved by the supervisor team', { fields: { has_outstanding_bon: true }, approvals: [{ gate: 'supervisor_approval', role: 'related_team', teamKey: 'supervisor' }] }, true],
    ['an outstanding bon approved by a team leader', { fields: { has_outstanding_bon: true }, approvals: [{ gate: 'supervisor_approval', role: 'team_leader' }] }, true],
    ['an outstanding bon with a team leader’s exception for the gate', { fields: { has_outstanding_bon: true }, exceptions: [{ gate: 'supervisor_approval', role: 'team_leader' }] }, true],
    ['an outstanding bon "approved" by an agent', { fields: { has_outstanding_bon: true }, approvals: [{ gate: 'supervisor_approval', role: 'agent', teamKey: 'cs' }] }, false],
    ['an outstanding bon "approved" by finance', { fields: { has_outstanding_bon: true }, approvals: [{ gate: 'supervisor_approval', role: 'related_team', teamKey: 'finance' }] }, false],
    ['an outstanding bon approved for another gate', { fields: { has_outstanding_bon: true }, approvals: [{ gate: 'verified', role: 'team_leader' }] }, false],
  ])('with %s: ok = %s', (_name, over, ok) => {
    const result = checkGate(bon, 'supervisor_approval', input({ ...verified, ...over }));
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result).toEqual({ ok: false, gate: 'supervisor_approval', missing: [approval] });
  });

  it.each([
    ['finance', false],
    ['backend', false],
    ['tier2', true],
    ['supervisor', true],
  ])('with an outstanding bon, a dispatch to %s is allowed: %s', (team, ok) => {
    expect(checkDispatchGates(bon, input({ ...verified, fields: { has_outstanding_bon: true } }), team as string).ok).toBe(ok);
  });

  it.each([
    ['granted', true, false],
    ['granted', false, true],
    ['ask_supervisor', true, true],
  ])('resolving with %s while outstanding = %s is allowed: %s', (outcome, outstanding, ok) => {
    expect(checkResolveGates(bon, input({ ...verified, fields: { has_outstanding_bon: outstanding } }), outcome as string).ok).toBe(ok);
  });

  it('reports the unverified identity first and every failing gate', () => {
    const result = checkDispatchGates(bon, input({ fields: { has_outstanding_bon: true } }), 'finance');
    expect(result).toMatchObject({ ok: false, gate: 'verified', failures: [{ gate: 'verified' }, { gate: 'supervisor_approval' }] });
  });
});

describe('the forgotten password gate (strict verification: name, last balance, last deposit)', () => {
  const password = playbook('login.forgot_password');
  it.each<[string, string[], Partial<GateInput>, boolean]>([
    ['all three checked', ['full_name', 'final_balance', 'last_deposit_amount'], {}, true],
    ['two of three', ['full_name', 'final_balance'], {}, false],
    ['one of three', ['last_deposit_amount'], {}, false],
    ['none', [], {}, false],
    ['two of three with a team leader’s exception', ['full_name', 'final_balance'], { exceptions: [{ gate: 'strict_verification', role: 'team_leader' }] }, false],
    ['two of three with an admin’s exception', ['full_name', 'final_balance'], { exceptions: [{ gate: 'strict_verification', role: 'admin' }] }, false],
  ])('%s: ok = %s', (_name, checkedItems, over, ok) => {
    expect(checkDispatchGates(password, input({ checkedItems, ...over }), 'backend').ok).toBe(ok);
  });

  it('names the unchecked items', () => {
    expect(checkGate(password, 'strict_verification', input({ checkedItems: ['full_name'] }))).toEqual({
      ok: false,
      gate: 'strict_verification',
      missing: [{ kind: 'verification', need: 2, of: ['final_balance', 'last_deposit_amount'] }],
    });
  });
});

describe('other gates of the SOP', () => {
  it.each<[string, string, string, Partial<GateInput>, boolean]>([
    ['PIN reset after the agent verification (mandatory and strongly mandatory items)', 'account.pin_reset', 'backend', { checkedItems: ['full_name', 'agent_id', 'registered_phone', 'transfer_proof', 'account_ownership_proof'] }, true],
    ['PIN reset without the strongly mandatory items', 'account.pin_reset', 'backend', { checkedItems: ['full_name', 'agent_id', 'registered_phone', 'last_two_transactions', 'network_history'] }, false],
    ['a deposit check with the agent ID only', 'deposit.bank_transfer_missing', 'finance', { checkedItems: ['agent_id'] }, true],
    ['a deposit check with the registered phone only', 'deposit.bank_transfer_missing', 'finance', { checkedItems: ['registered_phone'] }, true],
    ['a deposit check with neither', 'deposit.bank_transfer_missing', 'finance', { checkedItems: [] }, false],
    ['the registration cross-check when the agent insists', 'registration.phone_already_registered', 'admin_server', { fields: { agent_insists: true } }, true],
    ['the registration cross-check when the agent does not insist', 'registration.phone_already_registered', 'admin_server', { fields: { agent_insists: false } }, false],
    ['a retail deposit to finance when the gateway says success', 'deposit.retail_va_failed', 'finance', { fields: { gateway_status: 'success' } }, true],
    ['a retail deposit to finance while the gateway says pending', 'deposit.retail_va_failed', 'finance', { fields: { gateway_status: 'pending' } }, false],
    ['OTP to backend when the number is active and on WhatsApp', 'otp.not_received', 'backend', { fields: { phone_active: true, on_whatsapp: true } }, true],
    ['OTP to backend when the number is not on WhatsApp', 'otp.not_received', 'backend', { fields: { phone_active: true, on_whatsapp: false } }, false],
    ['a pure downline deposit asked for by the downline', 'account.downline_withdrawal', 'backend', { fields: { balance_source: 'pure_downline_deposit', requested_by: 'downline' } }, true],
    ['a pure downline deposit asked for by the upline', 'account.downline_withdrawal', 'backend', { fields: { balance_source: 'pure_downline_deposit', requested_by: 'upline' } }, false],
    ['an upline transfer with a reason', 'account.downline_withdrawal', 'backend', { fields: { balance_source: 'upline_transfer', requested_by: 'upline', reason: 'salah transfer' } }, true],
    ['an upline transfer without a reason', 'account.downline_withdrawal', 'backend', { fields: { balance_source: 'upline_transfer', requested_by: 'upline' } }, false],
    ['moving a downline approved by management', 'account.move_downline', 'backend', { approvals: [{ gate: 'management_approval', role: 'related_team', teamKey: 'supervisor' }] }, true],
    ['moving a downline without approval', 'account.move_downline', 'backend', {}, false],
    ['asking management to review a downline move', 'account.move_downline', 'supervisor', {}, true],
    ['an app bug with a screenshot after update and reinstall', 'account.app_error', 'it', { fields: { app_updated: true, cache_cleared: true, error_screenshot: 'att_1' } }, true],
    ['an app bug with only an error code', 'account.app_error', 'it', { fields: { app_updated: true, cache_cleared: true, error_code: 'E42' } }, true],
    ['an app bug without screenshot or code', 'account.app_error', 'it', { fields: { app_updated: true, cache_cleared: true } }, false],
    ['an app bug before the update', 'account.app_error', 'it', { fields: { app_updated: false, cache_cleared: true, error_code: 'E42' } }, false],
    ['an account takeover after blocking', 'fraud.account_takeover', 'backend', { fields: { account_blocked: true } }, true],
    ['an account takeover before blocking', 'fraud.account_takeover', 'backend', { fields: { account_blocked: false } }, false],
    ['an unblock request once verified and requirements met', 'account.blocked', 'backend', { checkedItems: ['full_name', 'agent_id', 'registered_phone', 'transfer_proof', 'account_ownership_proof'], fields: { requirements_met: true } }, true],
    ['an unblock request before the requirements are met', 'account.blocked', 'backend', { checkedItems: ['full_name', 'agent_id', 'registered_phone', 'transfer_proof', 'account_ownership_proof'], fields: { requirements_met: false } }, false],
    ['asking the supervisor why an account is blocked', 'account.blocked', 'supervisor', {}, true],
  ])('%s: ok = %s', (_name, key, team, over, ok) => {
    expect(checkDispatchGates(playbook(key), input(over), team).ok).toBe(ok);
  });

  describe('the phone change (strict verification and the old number equals the registered one)', () => {
    const change = playbook('account.phone_change');
    const strict = ['full_name', 'agent_id', 'final_balance', 'last_deposit_amount'];
    it.each<[string, string[], string, boolean]>([
      ['strictly verified, old number written with 0', strict, '0812-3456-7890', true],
      ['strictly verified, old number written with +62', strict, '+62 812 3456 7890', true],
      ['strictly verified, another old number', strict, '0812-0000-0000', false],
      ['not strictly verified', strict.slice(1), '0812-3456-7890', false],
    ])('%s: ok = %s', (_name, checkedItems, oldPhone, ok) => {
      const state = input({ checkedItems, fields: { old_phone: oldPhone }, contactAttributes: { registeredPhone: '6281234567890' } });
      expect(checkDispatchGates(change, state, 'backend').ok).toBe(ok);
    });
  });

  describe('the wrong downline transfer (1x24 hours)', () => {
    const wrong = playbook('account.wrong_transfer_to_downline');
    const now = new Date('2026-03-02T12:00:00Z');
    it.each<[string, string, string, boolean]>([
      ['25 hours ago, balance left', '2026-03-01T11:00:00Z', 'partly_used', true],
      ['23 hours ago, unused (cancel it in Otomax instead)', '2026-03-01T13:00:00Z', 'unused', false],
      ['exactly 24 hours ago', '2026-03-01T12:00:00Z', 'unused', false],
      ['25 hours ago, used up', '2026-03-01T11:00:00Z', 'used_up', false],
    ])('dispatch to backend %s: ok = %s', (_name, transferTime, balance, ok) => {
      expect(checkDispatchGates(wrong, input({ fields: { transfer_time: transferTime, downline_balance: balance }, now }), 'backend').ok).toBe(ok);
    });
  });
});

describe('checkGate', () => {
  it('throws unknown_gate for a gate the playbook does not have', () => {
    expect(() => checkGate(playbook('account.balance_withdrawal'), 'nope', input())).toThrow(expect.objectContaining({ code: 'unknown_gate' }));
  });
});

describe('missingRequiredFields', () => {
  it('lists the required fields not yet filled in, in playbook order', () => {
    const w = playbook('account.balance_withdrawal');
    expect(missingRequiredFields(w, { agent_id: 'A1', amount: 50_000, reason: ' ', bank_name: 'BCA' })).toEqual(['reason', 'account_number', 'account_holder_name']);
    expect(missingRequiredFields(w, { agent_id: 'A1', amount: 0, reason: 'r', bank_name: 'BCA', account_number: '123', account_holder_name: 'B' })).toEqual([]);
  });
});
