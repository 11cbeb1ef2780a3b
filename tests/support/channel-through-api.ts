import { expect } from '@jest/globals';
import type { Stack } from './use-stack.js';

/** Creates a channel as an admin does, through `POST /v1/channels` (201); answers the created channel. */
export async function createChannel(
  stack: Stack,
  adminToken: string,
  channel: { type: string; name: string; config: Record<string, unknown> },
): Promise<{ id: string; webhookUrl?: string; secret?: string }> {
  const created = await stack.api('POST', '/v1/channels', adminToken, channel);
  expect(created.status).toBe(201);
  return created.body;
}
