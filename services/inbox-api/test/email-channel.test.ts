import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';

const CONFIG = {
  address: 'CS@Toko.test',
  imap: { host: 'imap.toko.test', port: 993, secure: true, user: 'cs@toko.test', pass: 'imap-rahasia-1' },
  smtp: { host: 'smtp.toko.test', port: 465, secure: true, user: 'cs@toko.test', pass: 'smtp-rahasia-2' },
};

describe('email channels (POST /v1/channels type email)', () => {
  let h: Harness;
  let t: TestTenant;
  const create = (config: unknown) =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'email', name: 'CS mail', config } });

  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
  });
  afterAll(() => h.close());

  it('creates an email channel with both passwords sealed and the mailbox defaulting to INBOX', async () => {
    const res = await create(CONFIG);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type: 'email', name: 'CS mail', status: 'active' });
    expect(res.body).not.toContain('rahasia');
    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.config).toEqual({
      address: 'cs@toko.test',
      imap: { host: 'imap.toko.test', port: 993, secure: true, user: 'cs@toko.test', mailbox: 'INBOX' },
      smtp: { host: 'smtp.toko.test', port: 465, secure: true, user: 'cs@toko.test' },
    });
    expect(row.secrets_enc).not.toContain('rahasia');
    expect(h.deps.secretBox.open(row.secrets_enc!)).toEqual({ imapPass: 'imap-rahasia-1', smtpPass: 'smtp-rahasia-2' });
  });

  it.each([
    ['no address', { ...CONFIG, address: undefined }, '/config'],
    ['an address that is not one', { ...CONFIG, address: 'cs-at-toko' }, '/config/address'],
    ['an IMAP port out of range', { ...CONFIG, imap: { ...CONFIG.imap, port: 70000 } }, '/config/imap/port'],
    ['no IMAP password', { ...CONFIG, imap: { ...CONFIG.imap, pass: undefined } }, '/config/imap'],
    ['an unknown SMTP key', { ...CONFIG, smtp: { ...CONFIG.smtp, tls: true } }, '/config/smtp'],
  ])('refuses %s with 400 invalid_channel_config and creates nothing', async (_name, config, path) => {
    const before = await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute();
    const res = await create(JSON.parse(JSON.stringify(config)));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_channel_config');
    expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute()).toEqual(before);
  });
});
