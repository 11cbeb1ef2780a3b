/**
 * Waits for a BullMQ queue's or worker's connections to finish setting up (`waitUntilReady`), for at most `capMs`,
 * before it is closed. BullMQ (5.81) drops a connection's listeners when it closes, yet a connection closed while
 * still setting up reports that set-up failing (Redis quit meanwhile) afterwards, to nobody — and Node throws an
 * unheard 'error'. Settled first, the failure reaches the listeners we attached. The cap keeps a shutdown with Redis
 * unreachable from waiting on a set-up that never ends.
 */
export async function settleBeforeClose(ready: () => Promise<unknown>, capMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, capMs);
    timer.unref();
  });
  await Promise.race([ready().then(() => undefined, () => undefined), cap]);
  clearTimeout(timer);
}
