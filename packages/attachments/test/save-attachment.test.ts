import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDb, type DB, type Kysely } from '@sapa/db';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import {
  AttachmentMissing,
  attachmentSigningKey,
  createLocalDiskStore,
  findAttachment,
  openSignedAttachment,
  saveAttachment,
  signAttachmentLink,
  type AttachmentStore,
} from '../src/index.js';
import { elfHeader, tinyPng } from './samples.js';
import { rejectionOf } from './sapa-error-of.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('saveAttachment on Postgres', () => {
  let db: Kysely<DB>;
  let store: AttachmentStore;
  let folder: string;
  let a: TestTenant;
  let b: TestTenant;
  const key = attachmentSigningKey(testEnv().secretKey);
  beforeAll(async () => {
    db = createDb({ connectionString: testEnv().databaseUrl, max: 2 });
    folder = await mkdtemp(join(tmpdir(), 'sapa-save-'));
    store = createLocalDiskStore(folder);
    a = await createTenant(db, {});
    b = await createTenant(db, {});
  });
  afterAll(async () => {
    await db.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  const upload = (tenant: TestTenant, body: Buffer, extra: { declaredContentType?: string; filename?: string } = {}) =>
    saveAttachment({ db, store }, { tenantId: tenant.id, channelId: null, limits: 'upload', origin: 'upload', body, ...extra });

  it('keeps the bytes and a row saying what they really are', async () => {
    const body = tinyPng();
    const saved = await upload(a, body, { declaredContentType: 'text/plain', filename: '../foto ktp.png' });
    expect(saved).toEqual({ id: expect.any(String), contentType: 'image/png', filename: 'foto ktp.png', size: body.length });
    const row = await findAttachment(db, a.id, saved.id);
    expect(row).toMatchObject({
      tenant_id: a.id,
      origin: 'upload',
      content_type: 'image/png',
      filename: 'foto ktp.png',
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(row!.storage_key).toMatch(new RegExp(`^${a.id}/\\d{4}-\\d{2}/[0-9a-f-]{36}$`));
    expect((await bytesOf(await store.get(row!.storage_key))).equals(body)).toBe(true);
  });

  it("does not find one tenant's file under another tenant", async () => {
    const saved = await upload(a, tinyPng());
    expect(await findAttachment(db, b.id, saved.id)).toBeUndefined();
  });

  it('refuses an executable declared as a picture with 415 and keeps nothing', async () => {
    const before = await db.selectFrom('attachments').select(db.fn.countAll<number>().as('n')).where('tenant_id', '=', a.id).executeTakeFirstOrThrow();
    const err = await rejectionOf(upload(a, elfHeader(), { declaredContentType: 'image/png', filename: 'photo.png' }));
    expect([err.statusCode, err.code, err.details]).toEqual([415, 'attachment_type_refused', { contentType: 'application/x-elf' }]);
    const after = await db.selectFrom('attachments').select(db.fn.countAll<number>().as('n')).where('tenant_id', '=', a.id).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("applies the channel's own limit", async () => {
    const body = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    const err = await rejectionOf(saveAttachment({ db, store }, { tenantId: a.id, channelId: null, limits: 'telegram', origin: 'inbound', body, declaredContentType: 'text/plain' }));
    expect([err.statusCode, err.code]).toEqual([413, 'attachment_too_large']);
  });

  describe('openSignedAttachment', () => {
    const now = new Date();
    const linkFor = (tenantId: string, attachmentId: string, expiresAt = new Date(now.getTime() + 900_000)) => {
      const { expires, signature } = signAttachmentLink(key, { tenantId, attachmentId, expiresAt });
      return { expires: String(expires), signature };
    };

    it('streams the file with download headers for a good link', async () => {
      const body = tinyPng();
      const saved = await upload(a, body, { filename: 'Struk ✓.png' });
      const opened = await openSignedAttachment({ db, store, signingKey: key }, saved.id, linkFor(a.id, saved.id), now);
      expect((await bytesOf(opened.body)).equals(body)).toBe(true);
      expect(opened.headers).toEqual({
        'content-type': 'image/png',
        'content-length': String(body.length),
        'content-disposition': `attachment; filename="Struk _.png"; filename*=UTF-8''Struk%20%E2%9C%93.png`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=900',
      });
    });

    it.each([
      ['a link signed for another tenant', (id: string) => linkFor(b.id, id), 403, 'invalid_signature'],
      ['an expired link', (id: string) => linkFor(a.id, id, new Date(now.getTime() - 1000)), 403, 'link_expired'],
      ['no signature at all', () => ({}), 403, 'invalid_signature'],
    ])('refuses %s', async (_why, query, status, code) => {
      const saved = await upload(a, tinyPng());
      const err = await rejectionOf(openSignedAttachment({ db, store, signingKey: key }, saved.id, query(saved.id), now));
      expect([err.statusCode, err.code]).toEqual([status, code]);
    });

    it('answers 404 attachment_not_found for an id Sapa does not hold', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      const err = await rejectionOf(openSignedAttachment({ db, store, signingKey: key }, id, linkFor(a.id, id), now));
      expect([err.statusCode, err.code]).toEqual([404, 'attachment_not_found']);
    });

    it('reports a row whose bytes are gone as AttachmentMissing, not as an empty file', async () => {
      const saved = await upload(a, tinyPng());
      const row = await findAttachment(db, a.id, saved.id);
      await store.delete(row!.storage_key);
      await expect(openSignedAttachment({ db, store, signingKey: key }, saved.id, linkFor(a.id, saved.id), now)).rejects.toBeInstanceOf(AttachmentMissing);
    });
  });
});
