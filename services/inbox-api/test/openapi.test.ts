import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHarness, type Harness } from './harness.js';

interface Operation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

// Every route of api-contract.md sections Auth, Channels, Agents, Conversations, deliveries, Live events, Tenant settings and Handling flow.
const ROUTES: Array<[string, string, { body?: boolean; ok: string; errors: string[] }]> = [
  ['post', '/v1/auth/login', { body: true, ok: '200', errors: ['400', '401'] }],
  ['get', '/v1/auth/me', { ok: '200', errors: ['401', '403'] }],
  ['post', '/v1/api-tokens', { body: true, ok: '201', errors: ['400', '401', '403'] }],
  ['post', '/v1/channels', { body: true, ok: '201', errors: ['400', '401', '403', '404'] }],
  ['get', '/v1/channels', { ok: '200', errors: ['401', '403'] }],
  ['get', '/v1/channels/{id}/pairing', { ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/channels/{id}/pairing', { ok: '202', errors: ['400', '401', '403', '404', '409'] }],
  ['delete', '/v1/channels/{id}/pairing', { ok: '202', errors: ['400', '401', '403', '404', '409'] }],
  ['put', '/v1/agents/me/presence', { body: true, ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/agents', { ok: '200', errors: ['401', '403'] }],
  ['put', '/v1/agents/{id}', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/queues', { ok: '200', errors: ['401', '403'] }],
  ['get', '/v1/routing/rules', { ok: '200', errors: ['401', '403'] }],
  ['put', '/v1/routing/rules', { body: true, ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/conversations', { ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/conversations/{id}', { ok: '200', errors: ['401', '403', '404'] }],
  ['get', '/v1/conversations/{id}/messages', { ok: '200', errors: ['401', '403', '404'] }],
  ['post', '/v1/conversations/{id}/messages', { body: true, ok: '201', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/conversations/{id}/typing', { body: true, ok: '202', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/attachments', { ok: '201', errors: ['400', '401', '403', '413', '415'] }],
  ['get', '/v1/attachments/{id}/content', { ok: '200', errors: ['400', '403', '404'] }],
  ['post', '/v1/conversations/{id}/transfer', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/conversations/{id}/close', { body: true, ok: '200', errors: ['400', '401', '403', '404'] }],
  ['post', '/v1/conversations/{id}/hold', { body: false, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/conversations/{id}/resume', { body: false, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/deliveries', { ok: '200', errors: ['400', '401', '403'] }],
  ['post', '/v1/deliveries/{id}/retry', { ok: '202', errors: ['401', '403', '404', '409'] }],
  ['get', '/v1/quarantine', { ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/quarantine/{id}/payload', { ok: '200', errors: ['400', '401', '403', '404'] }],
  ['post', '/v1/quarantine/{id}/resolve', { ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/stream', { ok: '101', errors: ['401'] }],
  ['post', '/v1/conversations/{id}/phase', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/conversations/{id}/phases', { ok: '200', errors: ['401', '403', '404'] }],
  ['get', '/v1/conversations/{id}/calls', { ok: '200', errors: ['401', '403', '404'] }],
  ['post', '/v1/conversations/{id}/call', { ok: '202', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/conversations/{id}/suggestions', { ok: '200', errors: ['401', '403', '404'] }],
  ['get', '/v1/tenant/settings', { ok: '200', errors: ['401', '403'] }],
  ['patch', '/v1/tenant/settings', { body: true, ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/tenant/holidays', { ok: '200', errors: ['401', '403'] }],
  ['put', '/v1/tenant/holidays', { body: true, ok: '200', errors: ['400', '401', '403'] }],
  ['post', '/v1/tenant/holidays/import', { ok: '200', errors: ['400', '401', '403', '415'] }],
  ['get', '/v1/playbooks', { ok: '200', errors: ['401', '403'] }],
  ['get', '/v1/playbooks/{key}', { ok: '200', errors: ['400', '401', '403', '404'] }],
  ['put', '/v1/playbooks', { body: true, ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/contacts/{id}', { ok: '200', errors: ['400', '401', '403', '404'] }],
  ['patch', '/v1/contacts/{id}', { body: true, ok: '200', errors: ['400', '401', '403', '404'] }],
  ['post', '/v1/tickets', { body: true, ok: '201', errors: ['400', '401', '403', '404'] }],
  ['get', '/v1/tickets', { ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/tickets/{id}', { ok: '200', errors: ['400', '401', '403', '404'] }],
  ['patch', '/v1/tickets/{id}', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/verification', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/notes', { body: true, ok: '201', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/exceptions', { body: true, ok: '201', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/dispatch', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/close', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/tickets/{id}/events', { ok: '200', errors: ['400', '401', '403', '404'] }],
  ['post', '/v1/tickets/{id}/approvals', { body: true, ok: '201', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/waiting-on-customer', { body: true, ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['post', '/v1/tickets/{id}/resume', { ok: '200', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/teams', { ok: '200', errors: ['401', '403'] }],
  ['patch', '/v1/teams/{id}', { body: true, ok: '200', errors: ['400', '401', '403', '404'] }],
  ['post', '/v1/conversations/{id}/qc-scores', { body: true, ok: '201', errors: ['400', '401', '403', '404', '409'] }],
  ['get', '/v1/qc-scores', { ok: '200', errors: ['400', '401', '403'] }],
  ['get', '/v1/reports/service-level', { ok: '200', errors: ['400', '401', '403', '404'] }],
];

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> } };
  beforeAll(async () => {
    h = await createHarness();
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => h.close());

  it('is OpenAPI 3 with a bearer security scheme and the shared schemas by name', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ErrorBody', 'Conversation', 'Message', 'TenantSettings']));
  });

  it('documents the holiday import as a text/calendar body', () => {
    const op = doc.paths['/v1/tenant/holidays/import']!.post!;
    expect(op.requestBody?.content['text/calendar']?.schema).toEqual(expect.objectContaining({ type: 'string' }));
  });

  it('lists exactly the routes of the contract, and no operational ones', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(ROUTES)('documents %s %s with its request and response schemas', (method, path, spec) => {
    const op = doc.paths[path]![method]!;
    if (spec.body) expect(op.requestBody?.content['application/json']?.schema).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([spec.ok, ...spec.errors]));
    for (const code of spec.errors) {
      expect(JSON.stringify(op.responses[code]!.content?.['application/json']?.schema)).toContain('"code"');
    }
    if (path.includes('{id}')) expect(op.parameters).toContainEqual(expect.objectContaining({ in: 'path', name: 'id' }));
  });

  it('says that publishing playbooks deletes none left out of the body', () => {
    const op = doc.paths['/v1/playbooks']!.put! as Operation & { description?: string };
    expect(op.description).toMatch(/absent from the body is NOT deleted/);
  });

  it('lets only login and signed file links go without a token', () => {
    const open = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([, op]) => Array.isArray(op.security) && op.security.length === 0).map(([m]) => `${m} ${path}`),
    );
    expect(open.sort()).toEqual(['get /v1/attachments/{id}/content', 'post /v1/auth/login']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
