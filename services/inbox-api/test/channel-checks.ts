import { expect } from '@jest/globals';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, type Harness } from './harness.js';

/** `POST /v1/channels` as the holder of `token`. */
export function postChannel(h: Harness, token: string, channel: { type: string; name: string; config: Record<string, unknown> }) {
  return h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(token), payload: channel });
}

/**
 * A created channel keeps its secrets only sealed: they open to `secrets`, and neither the sealed text, the channel
 * list nor the audit log holds one of them. Answers the channel's row and the list's item for it.
 */
export async function expectOnlySealed(h: Harness, adminToken: string, channelId: string, secrets: Record<string, string>) {
  const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirstOrThrow();
  expect(h.deps.secretBox.open(row.secrets_enc!)).toEqual(secrets);
  const list = await h.app.inject({ method: 'GET', url: '/v1/channels', headers: bearer(adminToken) });
  const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', channelId).executeTakeFirstOrThrow();
  for (const secret of Object.values(secrets)) {
    expect(row.secrets_enc).not.toContain(secret);
    expect(list.body).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(secret);
  }
  return { row, listed: list.json().items.find((item: { id: string }) => item.id === channelId) };
}

/** Refused with 400 invalid_channel_config, `path` among the errors it names. */
export function expectInvalidConfig(res: LightMyRequestResponse, path: string): void {
  expect(res.statusCode).toBe(400);
  expect(res.json().error.code).toBe('invalid_channel_config');
  expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
}
