import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { REDACT_PATHS } from '@sapa/service-kit';
import { buildInboxApi } from '../src/index.js';
import { bearer, createDeps } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';

describe('contacts', () => {
  const lines: string[] = [];
  let deps: ReturnType<typeof createDeps>;
  let app: FastifyInstance;
  let w: World;
  beforeAll(async () => {
    deps = createDeps();
    // Every log line of the API at info, with the service's redaction, to prove the profile never shows in clear.
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    app = buildInboxApi({ ...deps, logger: pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream) });
    await app.ready();
    w = await createWorld(deps.db);
  });
  afterAll(async () => {
    await app.close();
    await deps.close();
  });

  const patch = (user: UserName, id: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, payload, headers: bearer(w.token(user)) });
  const row = (id: string) => deps.db.selectFrom('contacts').select(['name', 'attributes', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: string) => deps.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).execute();

  it('answers the contact with its attributes and channel identities', async () => {
    const id = await w.agent1Contact();
    const res = await app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: bearer(w.token('tier2')) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id,
      name: 'Budi',
      phone: null,
      email: null,
      attributes: {},
      identities: [{ channelId: w.channelId, externalId: expect.stringMatching(/^ext-/) }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('merges attributes over the stored ones, stores the phone in E.164, and removes one given as null', async () => {
    const id = await w.agent1Contact();
    const first = await patch('agent1', id, { name: 'Budi Santoso', attributes: { registeredName: 'Budi Santoso', agentId: 'AG-7781' } });
    expect(first.statusCode).toBe(200);
    const second = await patch('agent1', id, { attributes: { registeredPhone: '0812-3456-7890', uplineId: 'UP-42' } });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      name: 'Budi Santoso',
      attributes: { registeredName: 'Budi Santoso', agentId: 'AG-7781', registeredPhone: '+6281234567890', uplineId: 'UP-42' },
    });
    expect((await row(id)).attributes).toEqual({ registeredName: 'Budi Santoso', agentId: 'AG-7781', registeredPhone: '+6281234567890', uplineId: 'UP-42' });
    const third = await patch('lead', id, { attributes: { uplineId: null, registeredPhone: '+62 21 5551234' } });
    expect(third.json().attributes).toEqual({ registeredName: 'Budi Santoso', agentId: 'AG-7781', registeredPhone: '+62215551234' });
  });

  it('audit-logs the names of the changed attributes, never their values, and logs none of them in clear', async () => {
    const id = await w.agent1Contact();
    lines.length = 0;
    await patch('agent1', id, { attributes: { registeredName: 'Siti Rahmawati', registeredPhone: '081299887766' } });
    const entries = await audits(id);
    expect(entries).toEqual([{ action: 'contact.updated', details: { attributes: ['registeredName', 'registeredPhone'], name: false } }]);
    const logged = lines.join('');
    expect(logged).toContain('contact updated');
    for (const secret of ['Siti', 'Rahmawati', '81299887766']) expect(logged).not.toContain(secret);
  });

  it.each([
    ['QC', 'qc', { attributes: { agentId: 'AG-1' } }, 403, 'forbidden'],
    ['an invalid phone', 'agent1', { attributes: { registeredName: 'X', registeredPhone: '0812' } }, 400, 'invalid_phone'],
    ['an unknown attribute', 'agent1', { attributes: { nik: '3174000000000001' } }, 400, 'validation_failed'],
  ] as const)('refuses a patch by %s, changing nothing', async (_what, user, payload, status, code) => {
    const id = await w.agent1Contact();
    await patch('admin', id, { attributes: { registeredName: 'Before' } });
    const before = await row(id);
    const auditsBefore = await audits(id);
    const res = await patch(user, id, payload);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    expect(await row(id)).toEqual(before);
    expect(await audits(id)).toEqual(auditsBefore);
  });

  it('lets QC read a contact', async () => {
    const id = await w.agent1Contact();
    const res = await app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: bearer(w.token('qc')) });
    expect(res.statusCode).toBe(200);
  });
});
