import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TEAM_KEYS } from '@sapa/handling';
import { bearer, createHarness, type Harness } from './harness.js';
import { demoPlaybookJson } from './demo-playbooks.js';
import { createWorld, type World } from './world.js';

const WITHDRAWAL = 'account.balance_withdrawal';

describe('playbooks', () => {
  let h: Harness;
  let w: World;
  let bare: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    // The demo file dispatches to the demo tenant's teams; a test tenant has only cs and tier2.
    const missing = DEMO_TEAM_KEYS.filter((k) => !w.tenant.teams[k]);
    await h.deps.db.insertInto('teams').values(missing.map((key) => ({ tenant_id: w.tenant.id, key, name: key }))).execute();
    bare = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const as = (world: World, user: 'admin' | 'agent1' | 'qc', method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    h.app.inject({ method, url, headers: bearer(world.token(user)), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  const versions = (tenantId: string) =>
    h.deps.db.selectFrom('playbook_versions').select(['key', 'version', 'body']).where('tenant_id', '=', tenantId).orderBy('key').orderBy('version').execute();
  const auditCount = async (tenantId: string, action: string) =>
    (await h.deps.db.selectFrom('audit_log').select('id').where('tenant_id', '=', tenantId).where('action', '=', action).execute()).length;

  it('publishes the demo file at version 1 and lists its 23 playbooks to every user of the tenant', async () => {
    const res = await as(w, 'admin', 'PUT', '/v1/playbooks', demoPlaybookJson());
    expect(res.statusCode).toBe(200);
    expect(res.json().published).toHaveLength(23);
    for (const user of ['agent1', 'qc'] as const) {
      const list = await as(w, user, 'GET', '/v1/playbooks');
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toHaveLength(23);
      expect(list.json().items).toContainEqual({ key: WITHDRAWAL, group: 'account', title: expect.any(String), version: 1 });
    }
    expect(await auditCount(w.tenant.id, 'playbooks.published')).toBe(1);
  });

  it('gives version 2 only to the playbook that changed, and a ticket reading ?version=1 still gets the old body', async () => {
    const before = (await as(w, 'agent1', 'GET', `/v1/playbooks/${WITHDRAWAL}`)).json();
    const file = demoPlaybookJson();
    const item = file.items.find((p) => p.key === WITHDRAWAL)!;
    item.title = 'Penarikan Saldo (revisi)';
    const res = await as(w, 'admin', 'PUT', '/v1/playbooks', file);
    expect(res.statusCode).toBe(200);
    expect(res.json().published).toEqual([{ key: WITHDRAWAL, group: 'account', title: 'Penarikan Saldo (revisi)', version: 2 }]);
    const list = res.json().items as Array<{ key: string; version: number }>;
    expect(list).toHaveLength(23);
    expect(list.filter((p) => p.version === 2).map((p) => p.key)).toEqual([WITHDRAWAL]);

    const newest = (await as(w, 'agent1', 'GET', `/v1/playbooks/${WITHDRAWAL}`)).json();
    expect(newest).toMatchObject({ key: WITHDRAWAL, version: 2, title: 'Penarikan Saldo (revisi)' });
    const old = await as(w, 'agent1', 'GET', `/v1/playbooks/${WITHDRAWAL}?version=1`);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toEqual(before);
    expect(old.json()).toMatchObject({ version: 1, dispatchTo: 'finance', verification: { rule: { kOf: 3 } } });
    const missing = await as(w, 'agent1', 'GET', `/v1/playbooks/${WITHDRAWAL}?version=3`);
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'playbook_not_found']);
  });

  it('publishes nothing for an unchanged body and deletes no playbook left out of the PUT', async () => {
    const rowsBefore = await versions(w.tenant.id);
    const file = demoPlaybookJson();
    const res = await as(w, 'admin', 'PUT', '/v1/playbooks', { items: file.items.filter((p) => p.key !== WITHDRAWAL).slice(0, 2) });
    expect(res.statusCode).toBe(200);
    expect(res.json().published).toEqual([]);
    expect(res.json().items).toHaveLength(23);
    expect(await versions(w.tenant.id)).toEqual(rowsBefore);
  });

  it('refuses an invalid file with invalid_playbooks naming every bad path, and publishes none of it', async () => {
    const rowsBefore = await versions(w.tenant.id);
    const audits = await auditCount(w.tenant.id, 'playbooks.published');
    const file = demoPlaybookJson();
    const index = file.items.findIndex((p) => p.key === WITHDRAWAL);
    (file.items[index]!.verification as { rule: unknown }).rule = { kOf: 'three' };
    file.items[0]!.group = 'billing';
    file.items[1]!.title = 'changed, and must not be published';
    const res = await as(w, 'admin', 'PUT', '/v1/playbooks', file);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_playbooks');
    const paths = (res.json().error.details.errors as Array<{ path: string; message: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining([`items[${index}].verification.rule.kOf`, 'items[0].group']));
    expect(await versions(w.tenant.id)).toEqual(rowsBefore);
    expect(await auditCount(w.tenant.id, 'playbooks.published')).toBe(audits);
  });

  it("refuses a playbook dispatching to a team the tenant does not have", async () => {
    const res = await as(bare, 'admin', 'PUT', '/v1/playbooks', demoPlaybookJson());
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_playbooks']);
    expect(JSON.stringify(res.json().error.details.errors)).toMatch(/dispatchTo/);
    expect(await versions(bare.tenant.id)).toEqual([]);
  });

  it("shows no tenant another tenant's playbooks", async () => {
    expect((await as(bare, 'admin', 'GET', '/v1/playbooks')).json().items).toEqual([]);
    const res = await as(bare, 'agent1', 'GET', `/v1/playbooks/${WITHDRAWAL}?version=1`);
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'playbook_not_found']);
  });
});
