import { SapaError } from '@sapa/service-kit';

/** The SapaError a call throws (fails the test when it throws nothing, or something else). */
export function sapaErrorOf(call: () => unknown): SapaError {
  try {
    call();
  } catch (err) {
    if (err instanceof SapaError) return err;
    throw err;
  }
  throw new Error('expected a SapaError, nothing was thrown');
}

/** The SapaError a promise rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<SapaError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SapaError) return err;
    throw err;
  }
  throw new Error('expected a SapaError, the promise resolved');
}
