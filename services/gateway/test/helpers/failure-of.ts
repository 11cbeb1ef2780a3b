import { expect } from '@jest/globals';
import { SendFailure } from '../../src/channels/channel-adapter.js';

/** The failure a promise rejects with, to look at its reason and whether it may be retried. */
export async function failureOf(promise: Promise<unknown>): Promise<SendFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendFailure);
  return err as SendFailure;
}
