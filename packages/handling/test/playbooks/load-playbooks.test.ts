import { describe, expect, it } from '@jest/globals';
import { loadPlaybooks, PlaybookError, toDotPath, validatePlaybooks } from '../../src/index.js';

const TEAMS = ['tier2', 'finance', 'backend', 'supervisor'];

/** A small valid playbook; each case breaks one thing in a fresh copy. */
const base = () => ({
  key: 'account.balance_withdrawal',
  group: 'account',
  title: 'Penarikan Saldo Agen / Refund',
  dispatchTo: 'finance',
  fields: [
    { key: 'account_holder_name', label: 'Nama Pemilik Rekening', type: 'text', required: true },
    { key: 'bank', label: 'Bank', type: 'enum', values: [{ value: 'bca', label: 'BCA' }] },
    { key: 'amount', label: 'Nominal', type: 'money' },
    { key: 'paid_at', label: 'Waktu', type: 'datetime' },
  ],
  verification: { items: [{ key: 'full_name', label: 'Nama' }, { key: 'final_balance', label: 'Saldo' }], rule: { kOf: 2 } },
  steps: [{ text: 'Minta ID Agen.' }],
  outcomes: [{ key: 'refund', label: 'Refund', promise: 'Dana ditransfer.', dispatchTo: 'finance' }],
  sla: { workingHours: true, due: { minMinutes: 60, maxMinutes: 120 }, ladders: [] as unknown[] },
  gates: [
    {
      key: 'withdrawal_verification',
      label: 'Verifikasi',
      appliesTo: { actions: ['dispatch'] },
      checks: [{ kind: 'verification' }, { kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'registeredName', normalize: 'name' }],
    },
  ] as unknown[],
});
type Draft = ReturnType<typeof base> & Record<string, unknown>;
const fileWith = (...edits: Array<((p: Draft) => void) | undefined>) => {
  const items = [base(), { ...base(), key: 'deposit.manual', group: 'deposit' }] as Draft[];
  edits.forEach((edit, i) => edit?.(items[i] as Draft));
  return { items };
};
const errorsOf = (json: unknown) => {
  const result = validatePlaybooks(json, { teamKeys: TEAMS });
  return result.ok ? [] : result.errors;
};

describe('loadPlaybooks', () => {
  it('returns the playbooks with defaults filled in', () => {
    const [p] = loadPlaybooks(fileWith(), { teamKeys: TEAMS });
    expect(p).toMatchObject({ key: 'account.balance_withdrawal', version: 1, priority: 'normal' });
    expect(p?.verification?.strict).toBe(false);
    expect(p?.fields[0]).toMatchObject({ sensitive: false });
    expect(p?.sla?.startsAt).toBe('ticket_created');
  });

  it('does not change the document it is given', () => {
    const json = fileWith();
    const copy = structuredClone(json);
    loadPlaybooks(json, { teamKeys: TEAMS });
    expect(json).toEqual(copy);
  });

  it('throws invalid_playbooks listing every problem, each with its path', () => {
    const json = fileWith(
      (p) => void ((p.verification as { rule: unknown }).rule = { kOf: 'three' }),
      (p) => void (p.group = 'refund'),
    );
    let error: unknown;
    try {
      loadPlaybooks(json, { teamKeys: TEAMS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlaybookError);
    expect(error).toMatchObject({ code: 'invalid_playbooks' });
    const details = (error as PlaybookError).details as Array<{ path: string; message: string }>;
    expect(details.map((d) => d.path)).toEqual(['items[0].verification.rule.kOf', 'items[1].group']);
    expect((error as Error).message).toContain('items[0].verification.rule.kOf: Expected integer');
  });
});

describe('a broken playbook file fails naming the path of the bad field', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['not an object', [], '(root)', /must be an object/],
    ['no items', {}, 'items', /required/],
    ['an unknown top-level key', { ...fileWith(), playbooks: [] }, 'playbooks', /Unexpected property/],
    ['k that is not a number', fileWith((p) => void ((p.verification as { rule: unknown }).rule = { kOf: '3' })), 'items[0].verification.rule.kOf', /integer/],
    ['k of 0', fileWith((p) => void ((p.verification as { rule: unknown }).rule = { kOf: 0 })), 'items[0].verification.rule.kOf', /greater or equal to 1/],
    ['an unknown group', fileWith((p) => void (p.group = 'refund')), 'items[0].group', /"deposit"/],
    ['a missing title', fileWith((p) => void delete (p as Record<string, unknown>).title), 'items[0].title', /required/],
    ['a misspelt step property', fileWith((p) => void (p.steps = [{ text: 'x', witinMinutes: 3 } as never])), 'items[0].steps[0].witinMinutes', /Unexpected/],
    ['no steps', fileWith((p) => void (p.steps = [])), 'items[0].steps', /1/],
    ['an unknown field type', fileWith((p) => void ((p.fields[2] as { type: string }).type = 'currency')), 'items[0].fields[2].type', /"money"/],
    ['an unknown gate check kind', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), checks: [{ kind: 'magic' }] }])), 'items[0].gates[0].checks[0].kind', /"verification"/],
    [
      'a gate check missing a property',
      fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), checks: [{ kind: 'attribute_match', field: 'account_holder_name', normalize: 'name' }] }])),
      'items[0].gates[0].checks[0].contactAttribute',
      /required/,
    ],
    ['a negative ladder time', fileWith((p) => void (p.sla.ladders = [{ key: 'l', label: 'L', steps: [{ afterMinutes: -1, action: 'remind', note: 'n' }] }])), 'items[0].sla.ladders[0].steps[0].afterMinutes', /greater or equal to 0/],
    ['an unknown ladder action', fileWith((p) => void (p.sla.ladders = [{ key: 'l', label: 'L', steps: [{ afterMinutes: 1, action: 'panic', note: 'n' }] }])), 'items[0].sla.ladders[0].steps[0].action', /"complain_supplier"/],
    ['an unknown contact attribute', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), checks: [{ kind: 'attribute_match', field: 'account_holder_name', contactAttribute: 'ktp', normalize: 'name' }] }])), 'items[0].gates[0].checks[0].contactAttribute', /"registeredName"/],
  ])('%s', (_name, json, path, message) => {
    const errors = errorsOf(json);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)?.message).toMatch(message);
  });
});

describe('cross-checks of a schema-valid file', () => {
  it.each<[string, ReturnType<typeof fileWith>, string, RegExp]>([
    ['a duplicate playbook key', fileWith(undefined, (p) => void (p.key = 'account.balance_withdrawal')), 'items[1].key', /duplicates items\[0\]\.key/],
    ['a key outside its group', fileWith((p) => void (p.key = 'deposit.refund')), 'items[0].key', /start with its group/],
    ['k above the number of items', fileWith((p) => void ((p.verification as { rule: unknown }).rule = { kOf: 3 })), 'items[0].verification.rule.kOf', /3 of 2/],
    ['a strict verification with k of n', fileWith((p) => void (p.verification = { ...p.verification, strict: true } as never)), 'items[0].verification.rule', /all/],
    ['a dispatch to an unknown team', fileWith((p) => void (p.dispatchTo = 'accounting')), 'items[0].dispatchTo', /"accounting"/],
    ['an outcome for an unknown team', fileWith((p) => void ((p.outcomes[0] as { dispatchTo: string }).dispatchTo = 'legal')), 'items[0].outcomes[0].dispatchTo', /"legal"/],
    ['a gate naming a missing field', fileWith((p) => void (p.fields = p.fields.filter((f) => f.key !== 'account_holder_name'))), 'items[0].gates[0].checks[1].field', /account_holder_name/],
    ['a verification gate without verification items', fileWith((p) => void delete (p as Record<string, unknown>).verification), 'items[0].gates[0].checks[0]', /no verification/],
    ['a gate scoped to an unknown outcome', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), appliesTo: { actions: ['resolve'], outcomes: ['grant'] } }])), 'items[0].gates[0].appliesTo.outcomes[0]', /"grant"/],
    ['a gate for an unknown team', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), appliesTo: { actions: ['dispatch'], toTeams: ['it'] } }])), 'items[0].gates[0].appliesTo.toTeams[0]', /"it"/],
    ['an approval without approvers', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), checks: [{ kind: 'approval' }] }])), 'items[0].gates[0].checks[0]', /approverTeams/],
    ['an approval by an unknown team', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), checks: [{ kind: 'approval', approverTeams: ['board'] }] }])), 'items[0].gates[0].checks[0].approverTeams[0]', /"board"/],
    ['an enum condition with an unknown value', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), when: [{ field: 'bank', op: 'eq', value: 'bri' }] }])), 'items[0].gates[0].when[0].value', /"bri"/],
    ['a comparison on a text field', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), when: [{ field: 'account_holder_name', op: 'gt', value: 3 }] }])), 'items[0].gates[0].when[0]', /number or money/],
    ['a time condition on a money field', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), when: [{ field: 'amount', op: 'within_minutes', value: 3 }] }])), 'items[0].gates[0].when[0]', /date or datetime/],
    ['a condition without its value', fileWith((p) => void (p.gates = [{ ...(p.gates[0] as object), when: [{ field: 'amount', op: 'eq' }] }])), 'items[0].gates[0].when[0].value', /needs a value/],
    ['an enum field without values', fileWith((p) => void delete (p.fields[1] as Record<string, unknown>).values), 'items[0].fields[1].values', /lists its values/],
    ['a duplicate field key', fileWith((p) => void (p.fields = [...p.fields, p.fields[0] as never])), 'items[0].fields[4].key', /duplicates/],
    ['a promise range upside down', fileWith((p) => void (p.sla.due = { minMinutes: 120, maxMinutes: 60 })), 'items[0].sla.due.minMinutes', /more than maxMinutes/],
    ['an SLA clock on a text field', fileWith((p) => void (p.sla = { ...p.sla, startsAt: { field: 'account_holder_name' } } as never)), 'items[0].sla.startsAt.field', /date or datetime/],
    [
      'ladder steps out of order',
      fileWith((p) => void (p.sla.ladders = [{ key: 'l', label: 'L', steps: [{ afterMinutes: 15, action: 'hard_complaint', note: 'a' }, { afterMinutes: 2, action: 'complain_supplier', note: 'b' }] }])),
      'items[0].sla.ladders[0].steps[1].afterMinutes',
      /time order/,
    ],
    ['an escalation without a team', fileWith((p) => void (p.sla.ladders = [{ key: 'l', label: 'L', steps: [{ afterMinutes: 1, action: 'escalate', note: 'a' }] }])), 'items[0].sla.ladders[0].steps[0].toTeam', /names the team/],
    ['a next playbook not in the file', fileWith((p) => void ((p.outcomes[0] as { nextPlaybook?: string }).nextPlaybook = 'account.phone_change')), 'items[0].outcomes[0].nextPlaybook', /account\.phone_change/],
  ])('%s', (_name, json, path, message) => {
    const errors = errorsOf(json);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)?.message).toMatch(message);
  });

  it('refuses a strict verification that an exception could waive', () => {
    const json = fileWith((p) => {
      p.verification = { ...p.verification, rule: { all: true }, strict: true } as never;
      p.gates = [{ key: 'strict', label: 'Ketat', appliesTo: { actions: ['dispatch'] }, checks: [{ kind: 'verification', waivableBy: ['team_leader'] }] }];
    });
    expect(errorsOf(json)).toEqual([{ path: 'items[0].gates[0].checks[0].waivableBy', message: 'a strict verification cannot be waived' }]);
  });
});

describe('toDotPath', () => {
  it.each([
    ['', '(root)'],
    ['/items/3/verification/rule/kOf', 'items[3].verification.rule.kOf'],
    ['/items/0/a~1b', 'items[0].a/b'],
  ])('turns %j into %j', (pointer, path) => expect(toDotPath(pointer)).toBe(path));
});
