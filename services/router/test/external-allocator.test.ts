import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@sapa/contracts';
import { updateTeam } from '@sapa/db/queries/teams';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, routerHarness } from './router-harness.js';

const SECRET = 'allocator-secret-for-tests-0123456789';

interface Call {
  verified: boolean;
  body: { tenantId: string; teamId: string; conversation: { id: string; kind: string }; candidates: Array<{ agentId: string; active: number; capacity: number }> };
}

/**
 * issue 6 item 5: a team names an integrator's allocator. Its answer is taken when the agent is suitable; a
 * timeout, an error, a malformed answer or an unsuitable agent leave the choice to the team's strategy, and each
 * fallback is counted in `sapa_allocator_fallbacks_total`. The allocator is a real HTTP server on localhost.
 */
describe('external allocator', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;
  let server: Server;
  /** What the allocator does with the next call. */
  let behave: (call: Call) => { status: number; body: string; delayMs?: number } = () => ({ status: 500, body: '' });
  const calls: Call[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const call: Call = {
          verified: verifySignature(SECRET, { timestamp: req.headers['x-sapa-timestamp'] as string, signature: req.headers['x-sapa-signature'] as string }, raw).ok,
          body: JSON.parse(raw.toString('utf8')),
        };
        calls.push(call);
        const answer = behave(call);
        setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tenant = await createTenant(h.db, {
      budi: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 5 } },
      sari: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 5 } },
      rudi: { roles: ['agent'], teams: ['cs'], presence: 'offline', capacity: { chat: 5 } },
    });
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await updateTeam(h.db, tenant.id, tenant.teamId, {
      allocator: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/allocate`, timeoutMs: 200, secretEnc: h.secretBox.seal(SECRET) },
    });
    await h.startRouter();
  });
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const id = (name: string) => tenant.users[name]!.id;
  async function arrive(): Promise<{ id: string; assignee_id: string | null; reason: string | null }> {
    const contact = `c-${randomUUID()}`;
    await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: contact }, text: 'Halo' });
    const conv = await eventually(async () => {
      const c = await h.db
        .selectFrom('conversations as c')
        .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
        .select(['c.id', 'c.assignee_id', 'c.status'])
        .where('i.external_id', '=', contact)
        .executeTakeFirst();
      return c?.status === 'assigned' && c;
    });
    const row = await h.db.selectFrom('assignments').select('reason').where('conversation_id', '=', conv.id).where('action', '=', 'assigned').executeTakeFirstOrThrow();
    return { id: conv.id, assignee_id: conv.assignee_id, reason: row.reason };
  }
  async function fallbacks(reason: string): Promise<number> {
    const metric = await h.routerMetrics[0]!.registry.getSingleMetric('sapa_allocator_fallbacks_total')?.get();
    return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
  }

  it('takes the agent the allocator names, and signs what it sends', async () => {
    // Sari takes two first, so the least-busy strategy alone would pick Budi.
    await h.db.updateTable('agents').set({ active_chat: 2 }).where('user_id', '=', id('sari')).execute();
    behave = () => ({ status: 200, body: JSON.stringify({ agentId: id('sari') }) });
    const conv = await arrive();
    expect(conv).toMatchObject({ assignee_id: id('sari'), reason: 'allocator' });
    const call = calls.find((c) => c.body.conversation.id === conv.id)!;
    expect(call.verified).toBe(true);
    expect(call.body).toMatchObject({ tenantId: tenant.id, teamId: tenant.teamId, conversation: { kind: 'chat' } });
    expect(call.body.candidates.map((c) => c.agentId).sort()).toEqual([id('budi'), id('sari')].sort());
  });

  it.each([
    ['timeout', () => ({ status: 200, body: JSON.stringify({ agentId: '00000000-0000-4000-8000-000000000000' }), delayMs: 600 })],
    ['error', () => ({ status: 503, body: '{"error":"maintenance"}' })],
    ['invalid_answer', () => ({ status: 200, body: 'not json at all' })],
    ['unsuitable', () => ({ status: 200, body: JSON.stringify({ agentId: id('rudi') }) })],
  ] as const)('falls back to the team strategy on %s, and counts it', async (reason, answer) => {
    await h.db.updateTable('agents').set({ active_chat: 0 }).where('tenant_id', '=', tenant.id).execute();
    await h.db.updateTable('agents').set({ active_chat: 3 }).where('user_id', '=', id('sari')).execute();
    const before = await fallbacks(reason);
    behave = answer;
    const conv = await arrive();
    // The least busy online agent, as if the team had no allocator.
    expect(conv).toMatchObject({ assignee_id: id('budi'), reason: null });
    expect(await fallbacks(reason)).toBe(before + 1);
  });
});
