import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RoutingRule } from '@sapa/contracts';
import { listRoutingRules, replaceRoutingRules } from '@sapa/db/queries/routing-rules';
import { createApiChannel } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { USERS, createWorld, type UserName, type World } from './world.js';

describe('routing rules', () => {
  let h: Harness;
  let w: World;
  let other: World;
  let rules: RoutingRule[];
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    other = await createWorld(h.deps.db);
    rules = [
      { key: 'vip', name: 'VIP nasabah', when: { contactAttributes: { vip: true, tier: 2, segment: 'gold' } }, then: { priority: 50 } },
      { key: 'fraud', when: { keywords: ['penipuan', 'tipu'], channelIds: [w.channelId] }, then: { teamId: w.tenant.teams.tier2!, skills: [{ key: 'fraud', level: 3 }] } },
      { key: 'english', when: { channelTypes: ['api'], playbookGroups: ['account'] }, then: { language: 'en' } },
    ];
  });
  afterAll(() => h.close());

  const get = (as: UserName, world = w) => h.app.inject({ method: 'GET', url: '/v1/routing/rules', headers: bearer(world.token(as)) });
  const put = (as: UserName, items: unknown[], world = w) => h.app.inject({ method: 'PUT', url: '/v1/routing/rules', headers: bearer(world.token(as)), payload: { items } });
  const stored = async (tenantId: string) => {
    const rows = await h.deps.db.selectFrom('routing_rules').select(['position', 'key', 'rule']).where('tenant_id', '=', tenantId).orderBy('position').execute();
    const audit = await h.deps.db.selectFrom('audit_log').select('id').where('tenant_id', '=', tenantId).where('action', '=', 'routing_rules.replaced').execute();
    return { rows, audits: audit.length };
  };

  it('answers an empty list before any rule is set', async () => {
    expect((await get('admin')).json()).toEqual({ items: [] });
  });

  it('lets an admin replace the list, kept in order (position = index) and audit-logged', async () => {
    const res = await put('admin', rules);
    expect([res.statusCode, res.json()]).toEqual([200, { items: rules }]);
    const { rows, audits } = await stored(w.tenant.id);
    expect(rows.map((r) => [r.position, r.key])).toEqual([
      [0, 'vip'],
      [1, 'fraud'],
      [2, 'english'],
    ]);
    expect(audits).toBe(1);
  });

  it.each(['admin', 'lead', 'qc'] as const)('answers the list in order to %s', async (as) => {
    const res = await get(as);
    expect([res.statusCode, res.json()]).toEqual([200, { items: rules }]);
  });

  it.each(['agent1', 'agent2', 'tier2'] as const)('refuses the list to %s with 403 forbidden', async (as) => {
    const res = await get(as);
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
  });

  it.each(USERS.filter((u) => u !== 'admin'))('refuses a replacement by %s with 403, changing nothing', async (as) => {
    const before = await stored(w.tenant.id);
    const res = await put(as, []);
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
    expect(await stored(w.tenant.id)).toEqual(before);
  });

  it('replaces the whole list: a rule left out is gone, a moved rule takes its new place', async () => {
    const next = [rules[2]!, { ...rules[0]!, then: { priority: 80 } }];
    expect((await put('admin', next)).statusCode).toBe(200);
    expect((await get('lead')).json().items).toEqual(next);
    expect(await listRoutingRules(h.deps.db, w.tenant.id)).toEqual(next);
    expect((await put('admin', rules)).statusCode).toBe(200);
  });

  it('gives the routers the list through listRoutingRules, and replaceRoutingRules works outside a request too', async () => {
    expect(await listRoutingRules(h.deps.db, w.tenant.id)).toEqual(rules);
    const saved = await replaceRoutingRules(h.deps.db, other.tenant.id, [rules[0]!]);
    expect(saved).toEqual([rules[0]]);
    expect(await listRoutingRules(h.deps.db, other.tenant.id)).toEqual([rules[0]]);
    expect(await replaceRoutingRules(h.deps.db, other.tenant.id, [])).toEqual([]);
  });

  it('runs two replacements at once one after the other', async () => {
    const a = [rules[0]!, rules[1]!];
    const b = [rules[2]!];
    const [ra, rb] = await Promise.all([put('admin', a), put('admin', b)]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    expect([a, b]).toContainEqual((await get('admin')).json().items);
    expect((await put('admin', rules)).statusCode).toBe(200);
  });

  const rule = (extra: Partial<RoutingRule> = {}) => ({ key: 'x', when: { keywords: ['saldo'] }, then: { priority: 10 }, ...extra });
  const bad: Array<[string, () => unknown[], string]> = [
    ['a key used twice', () => [rule({ key: 'a' }), rule({ key: 'b' }), rule({ key: 'a' })], 'items[2].key'],
    ['a team of another tenant', () => [rule({ then: { teamId: other.tenant.teamId } })], 'items[0].then.teamId'],
    ['a team that does not exist', () => [rule(), rule({ key: 'y', then: { teamId: '00000000-0000-4000-8000-000000000000' } })], 'items[1].then.teamId'],
    ['a channel of another tenant', () => [rule({ when: { channelIds: [w.channelId, other.channelId] } })], 'items[0].when.channelIds[1]'],
    ['a channel that does not exist', () => [rule({ when: { channelIds: ['00000000-0000-4000-8000-000000000000'] } })], 'items[0].when.channelIds[0]'],
    ['a skill repeated in a rule', () => [rule({ then: { skills: [{ key: 'fraud', level: 1 }, { key: 'fraud', level: 2 }] } })], 'items[0].then.skills[1].key'],
    ['a contact attribute that is an object', () => [rule({ when: { contactAttributes: { vip: { level: 1 } } as never } })], 'items[0].when.contactAttributes.vip'],
    ['a contact attribute of 201 characters', () => [rule({ when: { contactAttributes: { note: 'x'.repeat(201) } } })], 'items[0].when.contactAttributes.note'],
    ['a contact attribute that is null', () => [rule({ when: { contactAttributes: { vip: null } as never } })], 'items[0].when.contactAttributes.vip'],
    ['a key in capitals', () => [rule({ key: 'VIP' })], '/items/0/key'],
    ['a rule with an empty when', () => [rule({ when: {} })], '/items/0/when'],
    ['a rule with an empty then', () => [rule({ then: {} })], '/items/0/then'],
    ['an unknown condition', () => [rule({ when: { hour: 9 } as never })], '/items/0/when'],
    ['a priority over 100', () => [rule({ then: { priority: 101 } })], '/items/0/then/priority'],
    ['a language that is no code', () => [rule({ then: { language: 'Bahasa' } })], '/items/0/then/language'],
    ['a skill level of 0', () => [rule({ then: { skills: [{ key: 'fraud', level: 0 }] } })], '/items/0/then/skills/0/level'],
    ['a team id that is no uuid', () => [rule({ then: { teamId: 'tier2' } })], '/items/0/then/teamId'],
    ['a rule without a key', () => [{ when: { keywords: ['saldo'] }, then: { priority: 1 } }], '/items/0'],
  ];

  it.each(bad)('refuses %s with 400 validation_failed naming the path, changing nothing', async (_what, items, path) => {
    const before = await stored(w.tenant.id);
    const res = await put('admin', items());
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
    expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await stored(w.tenant.id)).toEqual(before);
  });

  it('refuses a body without items with 400', async () => {
    const res = await h.app.inject({ method: 'PUT', url: '/v1/routing/rules', headers: bearer(w.token('admin')), payload: {} });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
  });

  it("keeps each tenant's rules to itself", async () => {
    expect((await get('admin', other)).json()).toEqual({ items: [] });
    expect((await put('admin', [rules[0]!], other)).statusCode).toBe(200);
    expect((await get('admin')).json().items).toEqual(rules);
  });

  it('accepts the tenant\'s own channel of another team and clears the list with []', async () => {
    const second = await createApiChannel(h.deps.db, w.tenant.id, { teamId: w.tenant.teams.tier2! });
    expect((await put('admin', [rule({ when: { channelIds: [second.id] } })])).statusCode).toBe(200);
    expect((await put('admin', [])).json()).toEqual({ items: [] });
    expect((await stored(w.tenant.id)).rows).toEqual([]);
  });
});
