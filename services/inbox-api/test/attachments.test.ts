import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { attachmentSigningKey, createLocalDiskStore, signAttachmentLink } from '@sapa/attachments';
import { buildInboxApi } from '../src/index.js';
import type { InboxFiles } from '../src/attachments/inbox-files.js';
import { bearer, createDeps } from './harness.js';
import { multipartFile } from './multipart.js';
import { createWorld, type UserName, type World } from './world.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);

describe('attachments in the inbox API', () => {
  let app: FastifyInstance;
  let deps: ReturnType<typeof createDeps>;
  let files: InboxFiles;
  let folder: string;
  let w: World;
  let other: World;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sapa-inbox-files-'));
    files = { store: createLocalDiskStore(folder), signingKey: attachmentSigningKey('test-secret-key-0123456789abcdef'), publicApiUrl: 'https://inbox.sapa.example' };
    deps = createDeps();
    app = buildInboxApi({ ...deps, files }, { idleSweepMs: 3_600_000 });
    await app.ready();
    w = await createWorld(deps.db);
    other = await createWorld(deps.db);
  });
  afterAll(async () => {
    await app.close();
    await deps.close();
    await rm(folder, { recursive: true, force: true });
  });

  const upload = (body: Buffer, filename: string, contentType: string, user: UserName = 'agent1', world = w) => {
    const form = multipartFile({ filename, contentType, body });
    return app.inject({ method: 'POST', url: '/v1/attachments', payload: form.payload, headers: { ...form.headers, ...bearer(world.token(user)) } });
  };
  const reply = (conversationId: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/messages`, payload, headers: bearer(w.token('agent1')) });
  const listing = async (conversationId: string) =>
    (await app.inject({ method: 'GET', url: `/v1/conversations/${conversationId}/messages`, headers: bearer(w.token('agent1')) })).json().items as Array<{
      id: string;
      attachments: Array<Record<string, unknown>>;
    }>;
  /** The path and query of a signed link (inject needs no host). */
  const pathOf = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  describe('POST /v1/attachments', () => {
    it('keeps a file and answers 201 with its sniffed type, clean name and size', async () => {
      const res = await upload(PNG, 'bukti transfer.png', 'text/plain');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ id: expect.any(String), contentType: 'image/png', filename: 'bukti transfer.png', size: PNG.length });
      const row = await deps.db.selectFrom('attachments').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ tenant_id: w.tenant.id, origin: 'upload', channel_id: null });
    });

    it('takes a file larger than the 1 MiB JSON body limit', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024, 0x41);
      const res = await upload(big, 'log.txt', 'text/plain');
      expect([res.statusCode, res.json().size]).toEqual([201, big.length]);
    });

    it('refuses a file over 25 MiB with 413 attachment_too_large and keeps nothing', async () => {
      const before = await countOf(w.tenant.id);
      const res = await upload(Buffer.alloc(25 * 1024 * 1024 + 1, 0x41), 'huge.txt', 'text/plain');
      expect([res.statusCode, res.json().error.code]).toEqual([413, 'attachment_too_large']);
      expect(await countOf(w.tenant.id)).toBe(before);
    });

    it('refuses an executable declared as a picture with 415 attachment_type_refused', async () => {
      const res = await upload(ELF, 'foto.png', 'image/png');
      expect([res.statusCode, res.json().error.code, res.json().error.details]).toEqual([415, 'attachment_type_refused', { contentType: 'application/x-elf' }]);
    });

    it('refuses a JSON body with 415 multipart_required', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/attachments', payload: { url: 'https://x.example/a.png' }, headers: bearer(w.token('agent1')) });
      expect([res.statusCode, res.json().error.code]).toEqual([415, 'multipart_required']);
    });

    it('refuses a form without a file part with 400 file_required', async () => {
      const payload = '--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhalo\r\n--b--\r\n';
      const res = await app.inject({ method: 'POST', url: '/v1/attachments', payload, headers: { 'content-type': 'multipart/form-data; boundary=b', ...bearer(w.token('agent1')) } });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'file_required']);
    });
  });

  describe('replying with files', () => {
    it('sends an uploaded file without text; the listing links it and the link downloads the same bytes', async () => {
      const conversationId = await w.agent1Conversation();
      const uploaded = (await upload(PNG, 'Struk ✓.png', 'image/png')).json();
      const res = await reply(conversationId, { attachments: [{ id: uploaded.id }] });
      expect(res.statusCode).toBe(201);
      const stored = await deps.db.selectFrom('messages').select(['text', 'attachments']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ text: null, attachments: [{ id: uploaded.id, url: `sapa-attachment:${uploaded.id}`, contentType: 'image/png', filename: 'Struk ✓.png', size: PNG.length }] });

      const sent = (await listing(conversationId)).find((m) => m.id === res.json().id)!;
      const url = sent.attachments[0]!.url as string;
      expect(url).toMatch(new RegExp(`^https://inbox\\.sapa\\.example/v1/attachments/${uploaded.id}/content\\?expires=\\d+&signature=[0-9a-f]{64}$`));
      const download = await app.inject({ method: 'GET', url: pathOf(url) });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(PNG)).toBe(true);
      expect(download.headers).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(PNG.length),
        'content-disposition': `attachment; filename="Struk _.png"; filename*=UTF-8''Struk%20%E2%9C%93.png`,
        'x-content-type-options': 'nosniff',
        'cache-control': expect.stringMatching(/^private, max-age=(9\d\d|8\d\d)$/),
      });
    });

    it('sends text and a link to a file Sapa does not hold, as given', async () => {
      const conversationId = await w.agent1Conversation();
      const link = { url: 'https://cdn.example/promo.png', contentType: 'image/png' };
      const res = await reply(conversationId, { text: 'Promo bulan ini', attachments: [link] });
      expect(res.statusCode).toBe(201);
      expect((await listing(conversationId)).find((m) => m.id === res.json().id)!.attachments).toEqual([link]);
    });

    it.each([
      ['an id no one uploaded', async () => '00000000-0000-4000-8000-000000000000'],
      ["another tenant's upload", async () => (await upload(PNG, 'x.png', 'image/png', 'agent1', other)).json().id as string],
    ])('refuses %s with 400 unknown_attachment and stores nothing', async (_why, idOf) => {
      const conversationId = await w.agent1Conversation();
      const id = await idOf();
      const res = await reply(conversationId, { text: 'lihat lampiran', attachments: [{ id }] });
      expect([res.statusCode, res.json().error.code, res.json().error.details]).toEqual([400, 'unknown_attachment', { ids: [id] }]);
      const out = await deps.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('direction', '=', 'out').execute();
      expect(out).toEqual([]);
    });

    it.each([
      ['neither text nor attachments', {}],
      ['an empty attachment list and no text', { attachments: [] }],
      ['an id that is not a uuid', { attachments: [{ id: 'abc' }] }],
      ['an id with a url beside it', { attachments: [{ id: '00000000-0000-4000-8000-000000000000', url: 'https://x.example/a' }] }],
    ])('refuses a reply with %s: 400 validation_failed', async (_why, payload) => {
      const res = await reply(await w.agent1Conversation(), payload);
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
    });
  });

  describe('GET /v1/attachments/{id}/content', () => {
    let id: string;
    beforeAll(async () => {
      id = (await upload(PNG, 'a.png', 'image/png')).json().id;
    });
    const link = (tenantId: string, expiresAt: Date) => {
      const { expires, signature } = signAttachmentLink(files.signingKey, { tenantId, attachmentId: id, expiresAt });
      return `/v1/attachments/${id}/content?expires=${expires}&signature=${signature}`;
    };

    it.each([
      ['an expired link', () => link(w.tenant.id, new Date(Date.now() - 1000)), 403, 'link_expired'],
      ['a link whose expiry was moved', () => link(w.tenant.id, new Date(Date.now() + 60_000)).replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 3600}`), 403, 'invalid_signature'],
      ['a link signed for another tenant', () => link(other.tenant.id, new Date(Date.now() + 60_000)), 403, 'invalid_signature'],
      ['no query at all', () => `/v1/attachments/${id}/content`, 403, 'invalid_signature'],
      ['an unknown file', () => link(w.tenant.id, new Date(Date.now() + 60_000)).replace(id, '00000000-0000-4000-8000-000000000000'), 404, 'attachment_not_found'],
      ['an id that is not a uuid', () => '/v1/attachments/abc/content?expires=1&signature=00', 400, 'validation_failed'],
    ])('refuses %s', async (_why, url, status, code) => {
      const res = await app.inject({ method: 'GET', url: url() });
      expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    });

    it('needs no bearer token, and ignores one', async () => {
      const res = await app.inject({ method: 'GET', url: link(w.tenant.id, new Date(Date.now() + 60_000)), headers: bearer(other.token('admin')) });
      expect(res.statusCode).toBe(200);
    });
  });

  const countOf = async (tenantId: string) =>
    Number((await deps.db.selectFrom('attachments').select(deps.db.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);
});
