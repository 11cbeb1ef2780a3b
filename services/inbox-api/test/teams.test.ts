import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type World } from './world.js';

/** Teams: strategy and the external allocator (issue 6 items 3 and 5); business hours are in ticket-sla.test.ts. */
describe('teams', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const patch = (payload: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/v1/teams/${w.tenant.teamId}`, headers: bearer(w.token('admin')), payload });
  const listed = async () => (await h.app.inject({ method: 'GET', url: '/v1/teams', headers: bearer(w.token('agent1')) })).json().items.find((t: { id: string }) => t.id === w.tenant.teamId);

  it('sets the routing strategy', async () => {
    expect((await listed()).strategy).toBe('least_busy');
    const res = await patch({ strategy: 'skills_weighted' });
    expect([res.statusCode, res.json().strategy]).toEqual([200, 'skills_weighted']);
    const bad = await patch({ strategy: 'random' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'validation_failed']);
    expect((await listed()).strategy).toBe('skills_weighted');
  });

  it('sets an external allocator, answers its secret once and keeps it sealed', async () => {
    const res = await patch({ allocator: { url: 'https://crm.example/allocate' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.allocator).toEqual({ url: 'https://crm.example/allocate', timeoutMs: 500 });
    expect(body.allocatorSecret).toMatch(/^[0-9a-f]{64}$/);
    const team = await listed();
    expect(team.allocator).toEqual({ url: 'https://crm.example/allocate', timeoutMs: 500 });
    expect(team.allocatorSecret).toBeUndefined();
    const row = await h.deps.db.selectFrom('teams').select('allocator').where('id', '=', w.tenant.teamId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.allocator)).not.toContain(body.allocatorSecret);
    expect(h.deps.secretBox.open(row.allocator!.secretEnc)).toBe(body.allocatorSecret);
  });

  it('refuses an allocator that is not an http(s) URL or whose deadline is out of range, changing nothing', async () => {
    for (const allocator of [{ url: 'ftp://crm.example/allocate' }, { url: 'not a url' }, { url: 'https://crm.example/a', timeoutMs: 10 }, { url: 'https://crm.example/a', timeoutMs: 60_000 }]) {
      const res = await patch({ allocator });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
    }
    expect((await listed()).allocator.url).toBe('https://crm.example/allocate');
  });

  it('removes the allocator with null', async () => {
    const res = await patch({ allocator: null });
    expect([res.statusCode, res.json().allocator, res.json().allocatorSecret]).toEqual([200, null, undefined]);
  });
});
