import { expect } from '@jest/globals';
import { postSignedWebhook, type FakeGraphApi } from './fakes/graph-api.js';

/** Meta's check of a webhook URL: `hub.challenge` is echoed back when the verify token is the channel's. */
export async function expectHandshakeAnswered(webhookUrl: string, verifyToken: string, challenge: string): Promise<void> {
  const check = await fetch(`${webhookUrl}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=${challenge}`);
  expect([check.status, await check.text()]).toEqual([200, challenge]);
}

/** Meta delivers a signed body, then delivers it again: the first is accepted (202), the second is a duplicate (200). */
export async function expectAcceptedOnce(webhookUrl: string, body: unknown, appSecret: string): Promise<void> {
  expect((await postSignedWebhook(webhookUrl, body, appSecret)).status).toBe(202);
  const again = await postSignedWebhook(webhookUrl, body, appSecret);
  expect([again.status, await again.json()]).toEqual([200, { status: 'duplicate' }]);
}

/** The messages the fake Send API received, as path, bearer token and body. */
export function sendApiCalls(graph: FakeGraphApi): Array<{ path: string; authorization: unknown; body: unknown }> {
  return graph.messageSends().map(({ path, headers, body }) => ({ path, authorization: headers.authorization, body }));
}
