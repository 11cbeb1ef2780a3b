/**
 * Polls until `probe` answers something truthy, and answers it; throws after `timeoutMs`. For what happens on its own
 * clock (a session taking a lease, a worker finishing a job): a test waits for the condition, never for a fixed time.
 */
export async function waitUntil<T>(probe: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs = 10_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitUntil: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
