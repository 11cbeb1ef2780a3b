import type { Logger } from 'pino';

/** Something to close on shutdown, in the order registered (e.g. stop taking work, then finish, then disconnect). */
export type Closer = { name: string; close: () => Promise<unknown> };

/**
 * Closes everything once on SIGINT/SIGTERM: HTTP servers stop accepting, workers let in-flight jobs
 * finish, then connections close. A second signal, or `graceMs` passing, forces the exit.
 */
export function installShutdown(logger: Logger, closers: Closer[], graceMs = 15_000): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    if (closing) return closing;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    closing = (async () => {
      for (const closer of closers) {
        try {
          await closer.close();
        } catch (err) {
          logger.error({ err, closer: closer.name }, 'close failed');
        }
      }
      clearTimeout(force);
      logger.info('stopped');
    })();
    return closing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  return () => shutdown('call');
}
