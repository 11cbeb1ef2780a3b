import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TEAM_KEYS, loadPlaybooks, type HolidayEntry, type Playbook } from '../../src/index.js';
import { DEFAULT_BUSINESS_HOURS, pauseLength, planSla, type BusinessCalendar, type SlaClock, type SlaTicketState } from '../../src/sla/index.js';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'playbooks-demo.json');
const playbooks = loadPlaybooks(JSON.parse(readFileSync(path, 'utf8')), { teamKeys: DEMO_TEAM_KEYS });
const playbook = (key: string): Playbook => {
  const found = playbooks.find((p) => p.key === key);
  if (!found) throw new Error(`no playbook ${key} in the demo data`);
  return found;
};

const MINUTE = 60_000;
const REAL: SlaClock = { minuteMs: MINUTE };
const FAST: SlaClock = { minuteMs: 100 };
/** A Jakarta wall time (UTC+7 all year). March 2026: Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10. */
const jkt = (local: string): Date => new Date(`${local}:00+07:00`);
const jakarta = (holidays: HolidayEntry[] = []): BusinessCalendar => ({ timeZone: 'Asia/Jakarta', hours: DEFAULT_BUSINESS_HOURS, holidays });
const ticket = (state: Partial<SlaTicketState> = {}): SlaTicketState => ({
  fields: {},
  outcome: null,
  createdAt: jkt('2026-03-04T10:05'),
  pausedMs: 0,
  ...state,
});
const plus = (at: Date, ms: number): Date => new Date(at.getTime() + ms);

describe('planSla: account.balance_withdrawal (1–2 working hours)', () => {
  const withdrawal = playbook('account.balance_withdrawal');

  it('is due two working hours after a Friday 16:30 ticket: Monday 09:30', () => {
    const createdAt = jkt('2026-03-06T16:30');
    expect(planSla(withdrawal, ticket({ createdAt }), jakarta(), REAL)).toEqual({
      startsAt: createdAt,
      dueAt: jkt('2026-03-09T09:30'),
      workingHours: true,
      reminders: [],
    });
  });

  it('skips a holiday Monday: Tuesday 09:30', () => {
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-06T16:30') }), jakarta([{ date: '2026-03-09', kind: 'national' }]), REAL);
    expect(plan.dueAt).toEqual(jkt('2026-03-10T09:30'));
  });

  it('keeps the same due once the refund outcome (also 1–2 working hours) is chosen', () => {
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-06T16:30'), outcome: 'refund' }), jakarta(), REAL);
    expect(plan.dueAt).toEqual(jkt('2026-03-09T09:30'));
  });

  it('counts real working minutes whatever the wall-clock minute of the test clock', () => {
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-06T16:30') }), jakarta(), FAST);
    expect(plan.dueAt).toEqual(jkt('2026-03-09T09:30'));
  });

  it('adds paused working time to the due', () => {
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-06T16:30'), pausedMs: 45 * MINUTE }), jakarta(), REAL);
    expect(plan.dueAt).toEqual(jkt('2026-03-09T10:15'));
  });

  it('counts from the next opening for a ticket created on a Saturday', () => {
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-07T11:00') }), jakarta(), REAL);
    expect(plan.dueAt).toEqual(jkt('2026-03-09T10:00'));
  });
});

describe('planSla: transaction.complaint (the ladder by transaction status, from the transaction time)', () => {
  const complaint = playbook('transaction.complaint');
  const transactionTime = '2026-03-04T10:00:00+07:00';
  const pending = { transaction_status: 'pending', transaction_time: transactionTime };

  it('plans the pending ladder at +2 and +15 minutes from the transaction time', () => {
    const plan = planSla(complaint, ticket({ fields: pending }), jakarta(), REAL);
    expect(plan).toEqual({
      startsAt: jkt('2026-03-04T10:00'),
      dueAt: null,
      workingHours: false,
      reminders: [
        {
          key: 'pending.0',
          ladder: 'pending',
          step: 0,
          action: 'complain_supplier',
          note: '> 2 Menit : komplain suplier',
          owner: 'CS / Operator',
          toTeam: null,
          fireAt: jkt('2026-03-04T10:02'),
          repeatEveryMinutes: null,
        },
        expect.objectContaining({ key: 'pending.1', ladder: 'pending', step: 1, action: 'hard_complaint', fireAt: jkt('2026-03-04T10:15') }),
      ],
    });
  });

  it('shortens wall-clock minutes with the test clock: +200 ms and +1500 ms', () => {
    const plan = planSla(complaint, ticket({ fields: pending }), jakarta(), FAST);
    const start = new Date(transactionTime);
    expect(plan.reminders.map((r) => [r.key, r.fireAt])).toEqual([
      ['pending.0', plus(start, 200)],
      ['pending.1', plus(start, 1500)],
    ]);
  });

  it.each<[string, Record<string, unknown>, [string, string, number][]]>([
    ['success to a wrong destination: no resolution at once', { transaction_status: 'success', problem_category: 'wrong_destination' }, [['wrong_destination.0', 'no_resolution', 0]]],
    [
      'success, product not received: complain now, hard complaint after 24 h',
      { transaction_status: 'success', problem_category: 'product_not_received' },
      [['success_not_received.0', 'complain_supplier', 0], ['success_not_received.1', 'hard_complaint', 1440]],
    ],
    ['success with a balance problem: no ladder applies', { transaction_status: 'success', problem_category: 'refund_balance' }, []],
    ['failed: no ladder applies', { transaction_status: 'failed' }, []],
    ['no status yet: no ladder applies', {}, []],
  ])('%s', (_name, fields, expected) => {
    const plan = planSla(complaint, ticket({ fields: { ...fields, transaction_time: transactionTime } }), jakarta(), REAL);
    expect(plan.startsAt).toEqual(new Date(transactionTime));
    expect(plan.reminders.map((r) => [r.key, r.action, (r.fireAt.getTime() - Date.parse(transactionTime)) / MINUTE])).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['absent', undefined],
    ['blank', '  '],
    ['not a date', 'kemarin sore'],
    ['not text', 1_772_593_200_000],
  ])('has no start and no reminders when the transaction time is %s', (_name, value) => {
    const plan = planSla(complaint, ticket({ fields: { transaction_status: 'pending', transaction_time: value } }), jakarta(), REAL);
    expect(plan).toEqual({ startsAt: null, dueAt: null, workingHours: false, reminders: [] });
  });

  it('reads a transaction time without an offset as the tenant’s local time', () => {
    const plan = planSla(complaint, ticket({ fields: { ...pending, transaction_time: '2026-03-04T10:00' } }), jakarta(), REAL);
    expect(plan.startsAt).toEqual(jkt('2026-03-04T10:00'));
    expect(planSla(complaint, ticket({ fields: { ...pending, transaction_time: '2026-03-04T10:00' } }), { ...jakarta(), timeZone: 'Asia/Jayapura' }, REAL).startsAt).toEqual(
      new Date('2026-03-04T10:00:00+09:00'),
    );
  });

  it('does not move the ladder for paused time: it chases the supplier, not the customer', () => {
    const plain = planSla(complaint, ticket({ fields: pending }), jakarta(), REAL);
    const paused = planSla(complaint, ticket({ fields: pending, pausedMs: 10 * MINUTE }), jakarta(), REAL);
    expect(paused.reminders).toEqual(plain.reminders);
  });
});

describe('planSla: due times of outcomes and playbooks', () => {
  const transfer = playbook('deposit.bank_transfer_missing');
  const createdAt = jkt('2026-03-04T10:05');

  it.each<[string, string | null, Date | null]>([
    ['mismatch (Finance cross-check, 1–30 min)', 'mismatch', plus(createdAt, 30 * MINUTE)],
    ['matches the ticket (credited within 10 min)', 'matches_ticket', plus(createdAt, 10 * MINUTE)],
    ['no outcome yet, and no playbook due', null, null],
    ['an outcome key the playbook does not have', 'refund', null],
  ])('deposit.bank_transfer_missing with %s', (_name, outcome, dueAt) => {
    expect(planSla(transfer, ticket({ outcome, createdAt }), jakarta(), REAL)).toEqual({ startsAt: createdAt, dueAt, workingHours: false, reminders: [] });
  });

  it('shortens an outcome’s wall-clock due with the test clock and adds paused time as it is', () => {
    expect(planSla(transfer, ticket({ outcome: 'mismatch', createdAt }), jakarta(), FAST).dueAt).toEqual(plus(createdAt, 3000));
    expect(planSla(transfer, ticket({ outcome: 'mismatch', createdAt, pausedMs: 5000 }), jakarta(), FAST).dueAt).toEqual(plus(createdAt, 8000));
    expect(planSla(transfer, ticket({ outcome: 'mismatch', createdAt, pausedMs: 7 * MINUTE }), jakarta(), REAL).dueAt).toEqual(plus(createdAt, 37 * MINUTE));
  });

  it('has no due for a playbook without an SLA and without outcome dues (bon.credit_request)', () => {
    const bon = playbook('bon.credit_request');
    expect(bon.sla).toBeUndefined();
    expect(planSla(bon, ticket({ outcome: 'granted', createdAt }), jakarta(), REAL)).toEqual({ startsAt: createdAt, dueAt: null, workingHours: false, reminders: [] });
  });

  it('uses the playbook’s due on the wall clock before an outcome is chosen (deposit.transfer_without_ticket, 24 h)', () => {
    const plan = planSla(playbook('deposit.transfer_without_ticket'), ticket({ createdAt }), jakarta(), REAL);
    expect(plan.dueAt).toEqual(plus(createdAt, 24 * 60 * MINUTE));
  });

  it('keeps the playbook’s due when the chosen outcome has none of its own', () => {
    const withOutcomes = { ...playbook('account.phone_change') };
    withOutcomes.outcomes = [...withOutcomes.outcomes, { key: 'no_due', label: 'Tanpa tenggat', promise: 'Kami proses.' }];
    expect(planSla(withOutcomes, ticket({ outcome: 'no_due', createdAt }), jakarta(), REAL).dueAt).toEqual(plus(createdAt, 180 * MINUTE));
  });

  it('counts the due from the ticket’s creation when the start field is empty', () => {
    const complaint = structuredClone(playbook('transaction.complaint'));
    complaint.sla = { ...complaint.sla!, due: { maxMinutes: 60 } };
    const plan = planSla(complaint, ticket({ createdAt, fields: { transaction_status: 'pending' }, pausedMs: MINUTE }), jakarta(), REAL);
    expect(plan).toMatchObject({ startsAt: null, dueAt: plus(createdAt, 61 * MINUTE), reminders: [] });
  });

  it('throws unknown_time_zone for a calendar in an unknown zone', () => {
    expect(() => planSla(transfer, ticket(), { ...jakarta(), timeZone: 'Asia/Atlantis' }, REAL)).toThrow(expect.objectContaining({ code: 'unknown_time_zone' }));
  });
});

describe('planSla: ladders of a synthetic playbook', () => {
  const base = playbook('transaction.complaint');
  const withLadders = (workingHours: boolean, ladders: NonNullable<Playbook['sla']>['ladders']): Playbook => ({
    ...base,
    sla: { workingHours, startsAt: { field: 'transaction_time' }, ladders },
  });
  const step = (afterMinutes: number, extra: object = {}) => ({ afterMinutes, action: 'remind' as const, note: `after ${afterMinutes}`, ...extra });

  it('sorts reminders by time, then by ladder and step number', () => {
    const pb = withLadders(false, [
      { key: 'b', label: 'B', steps: [step(5), step(1)] },
      { key: 'a', label: 'A', steps: Array.from({ length: 11 }, () => step(5)) },
    ]);
    const plan = planSla(pb, ticket({ fields: { transaction_time: '2026-03-04T10:00:00+07:00' } }), jakarta(), REAL);
    expect(plan.reminders.map((r) => r.key)).toEqual(['b.1', ...Array.from({ length: 11 }, (_, i) => `a.${i}`), 'b.0']);
  });

  it('carries the escalation team and the repeat interval of a step, and the ladder’s owner or null', () => {
    const pb = withLadders(false, [{ key: 'esc', label: 'Eskalasi', steps: [step(30, { action: 'escalate', toTeam: 'backend', repeatEveryMinutes: 60 })] }]);
    const [reminder] = planSla(pb, ticket({ fields: { transaction_time: '2026-03-04T10:00:00+07:00' } }), jakarta(), REAL).reminders;
    expect(reminder).toMatchObject({ action: 'escalate', toTeam: 'backend', repeatEveryMinutes: 60, owner: null, fireAt: jkt('2026-03-04T10:30') });
  });

  it('checks a ladder’s conditions at the ticket’s creation', () => {
    const pb = withLadders(false, [
      { key: 'old', label: 'Transaksi lama', when: [{ field: 'transaction_time', op: 'older_than_minutes', value: 60 }], steps: [step(0)] },
    ]);
    const fields = { transaction_time: '2026-03-04T10:00:00+07:00' };
    expect(planSla(pb, ticket({ fields, createdAt: jkt('2026-03-04T10:30') }), jakarta(), REAL).reminders).toEqual([]);
    expect(planSla(pb, ticket({ fields, createdAt: jkt('2026-03-04T11:30') }), jakarta(), REAL).reminders).toHaveLength(1);
  });

  it('places ladder steps in working time when the SLA counts working hours', () => {
    const pb = withLadders(true, [{ key: 'pending', label: 'Pending', steps: [step(2), step(15)] }]);
    const plan = planSla(pb, ticket({ fields: { transaction_time: '2026-03-06T16:55:00+07:00' }, pausedMs: 30 * MINUTE }), jakarta(), FAST);
    expect(plan.workingHours).toBe(true);
    expect(plan.reminders.map((r) => r.fireAt)).toEqual([jkt('2026-03-06T16:57'), jkt('2026-03-09T08:10')]);
  });
});

describe('pauseLength', () => {
  const cal = jakarta([{ date: '2026-03-09' }]);

  it.each<[string, string, string, boolean, number]>([
    ['working hours: Friday 16:00 to Tuesday 09:00 over a weekend and a holiday', '2026-03-06T16:00', '2026-03-10T09:00', true, 2 * 60],
    ['wall clock: the same pause', '2026-03-06T16:00', '2026-03-10T09:00', false, 89 * 60],
    ['working hours: a pause at night', '2026-03-04T20:00', '2026-03-05T07:00', true, 0],
    ['working hours: resumed before paused', '2026-03-04T12:00', '2026-03-04T10:00', true, 0],
    ['wall clock: resumed before paused', '2026-03-04T12:00', '2026-03-04T10:00', false, 0],
  ])('%s', (_name, pausedAt, resumedAt, workingHours, minutes) => {
    expect(pauseLength(jkt(pausedAt), jkt(resumedAt), workingHours, cal)).toBe(minutes * MINUTE);
  });

  it('moves a working-hours due by exactly the working time the ticket was paused', () => {
    const withdrawal = playbook('account.balance_withdrawal');
    const pausedMs = pauseLength(jkt('2026-03-06T16:45'), jkt('2026-03-10T08:30'), true, cal);
    const plan = planSla(withdrawal, ticket({ createdAt: jkt('2026-03-06T16:30'), pausedMs }), cal, REAL);
    expect(plan.dueAt).toEqual(jkt('2026-03-10T10:15'));
  });
});
