import type { FastifyInstance } from 'fastify';
import { buildInboxApi } from './app.js';
import type { InboxApiDeps, InboxApiOptions } from './deps.js';

export interface ListenOptions {
  /** Default 3000 (api-contract.md §Defaults); 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningInboxApi {
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Stops taking requests, closes the sockets and the event subscription; the deps stay open. */
  close(): Promise<void>;
}

/** Builds the inbox API and listens. */
export async function startInboxApi(deps: InboxApiDeps, listen: ListenOptions = {}, options: InboxApiOptions = {}): Promise<RunningInboxApi> {
  const app = buildInboxApi(deps, options);
  const host = listen.host ?? '127.0.0.1';
  await app.listen({ port: listen.port ?? 3000, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  deps.logger.info({ port, host }, 'inbox api listening');
  return { app, url: `http://${shownHost}:${port}`, close: () => app.close() };
}
