import { expect } from '@jest/globals';
import type { LightMyRequestResponse } from 'fastify';

/** A webhook refused the request with `status` and the error `code`, and the queue `queued` reads still holds nothing. */
export async function expectRefusedQueuingNothing(res: LightMyRequestResponse, status: number, code: string, queued: () => Promise<unknown[]>): Promise<void> {
  expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
  expect(await queued()).toHaveLength(0);
}
