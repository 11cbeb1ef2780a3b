import { describe, expect, it } from '@jest/globals';
import type { RoutingRule } from '@sapa/contracts';
import { decideRouting, DEFAULT_PRIORITY, FRAUD_PRIORITY, type RoutingInput } from '../src/decide-routing.js';

const WA = '11111111-1111-4111-8111-111111111111';
const MAIL = '22222222-2222-4222-8222-222222222222';
const FINANCE = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const SECURITY = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const VIP_DESK = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  channelId: WA,
  channelType: 'whatsapp',
  text: 'halo kak',
  contactAttributes: {},
  ...over,
});

const rule = (key: string, when: RoutingRule['when'], then: RoutingRule['then'] = { priority: 10 }): RoutingRule => ({ key, when, then });

describe('decideRouting without a matching rule', () => {
  it('leaves the conversation on its channel team at the default priority, needing nothing', () => {
    expect(decideRouting([], input())).toEqual({ ruleKey: null, teamId: null, priority: DEFAULT_PRIORITY, skills: {}, language: null, groups: [] });
  });

  it('still reports the playbook groups the first message reads as', () => {
    expect(decideRouting([], input({ text: 'saldo belum masuk, sudah transfer' })).groups).toEqual(['deposit']);
  });

  it('still puts a fraud report first (complaint-playbooks.md §Fraud), without naming a rule', () => {
    const decision = decideRouting([rule('email_only', { channelTypes: ['email'] })], input({ text: 'Tolong, akun saya dibajak!' }));
    expect(decision).toMatchObject({ ruleKey: null, teamId: null, priority: FRAUD_PRIORITY, groups: ['fraud'] });
  });
});

describe('decideRouting: each kind of condition', () => {
  type Case = [string, RoutingRule['when'], Partial<RoutingInput>, boolean];
  const cases: Case[] = [
    ['channelIds includes the channel', { channelIds: [MAIL, WA] }, {}, true],
    ['channelIds without the channel', { channelIds: [MAIL] }, {}, false],
    ['channelTypes includes the type', { channelTypes: ['telegram', 'whatsapp'] }, {}, true],
    ['channelTypes without the type', { channelTypes: ['email'] }, {}, false],
    ['keywords: one of them as a word', { keywords: ['refund', 'tarik saldo'] }, { text: 'Mau TARIK saldo kak' }, true],
    ['keywords: a phrase, punctuation and case aside', { keywords: ['Bank BCA'] }, { text: 'transfer ke bank, bca.' }, true],
    ['keywords: only inside a longer word', { keywords: ['pin'] }, { text: 'mau pinjaman' }, false],
    ['keywords: none of them', { keywords: ['voucher', 'game'] }, { text: 'pulsa belum masuk' }, false],
    ['playbookGroups: the text reads as one of them', { playbookGroups: ['otp', 'login'] }, { text: 'lupa password' }, true],
    ['playbookGroups: the text reads as another', { playbookGroups: ['bon'] }, { text: 'lupa password' }, false],
    ['playbookGroups: the text reads as none', { playbookGroups: ['deposit'] }, { text: 'halo' }, false],
    ['playbookGroups: a key no group has', { playbookGroups: ['unknown_group'] }, { text: 'saldo belum masuk' }, false],
    ['contactAttributes: a boolean equal', { contactAttributes: { vip: true } }, { contactAttributes: { vip: true } }, true],
    ['contactAttributes: a boolean different', { contactAttributes: { vip: true } }, { contactAttributes: { vip: false } }, false],
    ['contactAttributes: the string "true" for true', { contactAttributes: { vip: true } }, { contactAttributes: { vip: 'true' } }, true],
    ['contactAttributes: the string "false" for false', { contactAttributes: { vip: false } }, { contactAttributes: { vip: 'false' } }, true],
    ['contactAttributes: the string "true" against false', { contactAttributes: { vip: false } }, { contactAttributes: { vip: 'true' } }, false],
    ['contactAttributes: "TRUE" is not true', { contactAttributes: { vip: true } }, { contactAttributes: { vip: 'TRUE' } }, false],
    ['contactAttributes: "1" is not true', { contactAttributes: { vip: true } }, { contactAttributes: { vip: '1' } }, false],
    ['contactAttributes: 1 is not true', { contactAttributes: { vip: true } }, { contactAttributes: { vip: 1 } }, false],
    ['contactAttributes: a number equal', { contactAttributes: { tier: 3 } }, { contactAttributes: { tier: 3 } }, true],
    ['contactAttributes: a numeric string for the number', { contactAttributes: { tier: 3 } }, { contactAttributes: { tier: '3' } }, true],
    ['contactAttributes: a decimal string for the number', { contactAttributes: { tier: 2.5 } }, { contactAttributes: { tier: '2.50' } }, true],
    ['contactAttributes: a negative string for the number', { contactAttributes: { tier: -1 } }, { contactAttributes: { tier: '-1' } }, true],
    ['contactAttributes: a numeric string of another number', { contactAttributes: { tier: 3 } }, { contactAttributes: { tier: '4' } }, false],
    ['contactAttributes: a padded numeric string', { contactAttributes: { tier: 3 } }, { contactAttributes: { tier: ' 3' } }, false],
    ['contactAttributes: an empty string is not 0', { contactAttributes: { tier: 0 } }, { contactAttributes: { tier: '' } }, false],
    ['contactAttributes: a string equal', { contactAttributes: { city: 'Bandung' } }, { contactAttributes: { city: 'Bandung' } }, true],
    ['contactAttributes: a string differing in case', { contactAttributes: { city: 'Bandung' } }, { contactAttributes: { city: 'bandung' } }, false],
    ['contactAttributes: the rule\'s "true" for a boolean attribute', { contactAttributes: { vip: 'true' } }, { contactAttributes: { vip: true } }, true],
    ['contactAttributes: the rule\'s "7" for a number attribute', { contactAttributes: { tier: '7' } }, { contactAttributes: { tier: 7 } }, true],
    ['contactAttributes: the attribute missing', { contactAttributes: { vip: true } }, { contactAttributes: {} }, false],
    ['contactAttributes: the attribute null', { contactAttributes: { vip: 'null' } }, { contactAttributes: { vip: null } }, false],
    ['contactAttributes: the attribute an object', { contactAttributes: { vip: 'true' } }, { contactAttributes: { vip: { value: true } } }, false],
    ['contactAttributes: a key Object has but the contact does not', { contactAttributes: { constructor: 'x' } }, { contactAttributes: {} }, false],
    ['contactAttributes: every key equal', { contactAttributes: { vip: true, tier: 3 } }, { contactAttributes: { vip: 'true', tier: 3, city: 'Medan' } }, true],
    ['contactAttributes: one key of two different', { contactAttributes: { vip: true, tier: 3 } }, { contactAttributes: { vip: true, tier: 2 } }, false],
    [
      'all kinds together, all holding',
      { channelIds: [WA], channelTypes: ['whatsapp'], keywords: ['bca'], playbookGroups: ['deposit'], contactAttributes: { vip: true } },
      { text: 'transfer BCA belum masuk', contactAttributes: { vip: true } },
      true,
    ],
    [
      'all kinds together, one failing',
      { channelIds: [WA], channelTypes: ['whatsapp'], keywords: ['bca'], playbookGroups: ['deposit'], contactAttributes: { vip: true } },
      { text: 'transfer BCA belum masuk', contactAttributes: { vip: false } },
      false,
    ],
  ];

  it.each(cases.map(([name, when, over, matches]) => [name, matches ? 'matches' : 'does not match', when, over, matches] as const))('%s: %s', (_name, _says, when, over, matches) => {
    expect(decideRouting([rule('r', when)], input(over)).ruleKey).toBe(matches ? 'r' : null);
  });
});

describe('decideRouting: what a matching rule sets', () => {
  it('takes team, priority, skills and language from the rule', () => {
    const r = rule('deposit_finance', { playbookGroups: ['deposit'] }, {
      teamId: FINANCE,
      priority: 40,
      skills: [
        { key: 'finance', level: 3 },
        { key: 'bahasa_jawa', level: 1 },
      ],
      language: 'jv',
    });
    expect(decideRouting([r], input({ text: 'depo blm masuk' }))).toEqual({
      ruleKey: 'deposit_finance',
      teamId: FINANCE,
      priority: 40,
      skills: { finance: 3, bahasa_jawa: 1 },
      language: 'jv',
      groups: ['deposit'],
    });
  });

  it('leaves out what the rule does not set: the channel team, the default priority, no skills, any language', () => {
    const r = rule('lang_only', { channelTypes: ['whatsapp'] }, { language: 'en' });
    expect(decideRouting([r], input())).toEqual({ ruleKey: 'lang_only', teamId: null, priority: DEFAULT_PRIORITY, skills: {}, language: 'en', groups: [] });
  });

  it('needs the higher level of a skill the rule lists twice', () => {
    const r = rule('twice', { channelTypes: ['whatsapp'] }, { skills: [{ key: 'finance', level: 2 }, { key: 'finance', level: 4 }, { key: 'finance', level: 1 }] });
    expect(decideRouting([r], input()).skills).toEqual({ finance: 4 });
  });

  it('keeps a skill named like an Object member as a plain key', () => {
    const r = rule('odd_key', { channelTypes: ['whatsapp'] }, { skills: [{ key: 'constructor', level: 2 }] });
    expect(decideRouting([r], input()).skills).toEqual({ constructor: 2 });
  });

  it('applies the first matching rule in list order, not the most specific one', () => {
    const rules = [
      rule('email', { channelTypes: ['email'] }, { priority: 5 }),
      rule('any_deposit', { playbookGroups: ['deposit'] }, { teamId: FINANCE, priority: 20 }),
      rule('vip_deposit', { playbookGroups: ['deposit'], contactAttributes: { vip: true } }, { teamId: VIP_DESK, priority: 90 }),
    ];
    const decision = decideRouting(rules, input({ text: 'saldo belum masuk', contactAttributes: { vip: true } }));
    expect(decision).toMatchObject({ ruleKey: 'any_deposit', teamId: FINANCE, priority: 20 });
  });

  it('skips rules that do not match to reach a later one', () => {
    const rules = [rule('email', { channelTypes: ['email'] }), rule('bon', { keywords: ['bon'] }, { teamId: FINANCE })];
    expect(decideRouting(rules, input({ text: 'minta bon' })).ruleKey).toBe('bon');
  });
});

describe('decideRouting: fraud first, whatever the rules say (complaint-playbooks.md §Fraud)', () => {
  const FRAUD_TEXT = 'saya kena penipuan, saldo hilang';

  it.each([
    ['no rule at all', [] as RoutingRule[], null],
    ['a rule that matches and sets a low priority', [rule('wa', { channelTypes: ['whatsapp'] }, { priority: 5 })], 'wa'],
    ['a rule that matches and sets no priority', [rule('wa', { channelTypes: ['whatsapp'] }, { teamId: SECURITY })], 'wa'],
    ['a rule that matches and sets priority 0', [rule('wa', { channelTypes: ['whatsapp'] }, { priority: 0 })], 'wa'],
    ['rules that do not match', [rule('mail', { channelIds: [MAIL] }, { priority: 50 })], null],
  ])('gets FRAUD_PRIORITY with %s', (_name, rules, ruleKey) => {
    expect(decideRouting(rules, input({ text: FRAUD_TEXT }))).toMatchObject({ ruleKey, priority: FRAUD_PRIORITY });
  });

  it('keeps the team, skills and language of the matching rule', () => {
    const r = rule('fraud_desk', { playbookGroups: ['fraud'] }, { teamId: SECURITY, priority: 10, skills: [{ key: 'security', level: 2 }], language: 'id' });
    expect(decideRouting([r], input({ text: 'akun saya di-hack' }))).toEqual({
      ruleKey: 'fraud_desk',
      teamId: SECURITY,
      priority: FRAUD_PRIORITY,
      skills: { security: 2 },
      language: 'id',
      groups: ['fraud'],
    });
  });

  it('does not raise a message that only contains a fraud word inside another word', () => {
    expect(decideRouting([], input({ text: 'ada info hackathon?' })).priority).toBe(DEFAULT_PRIORITY);
  });
});
