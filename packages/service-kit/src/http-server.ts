import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { SapaError } from './errors.js';
import { withTimeout } from './with-timeout.js';
import type { Metrics } from './metrics.js';

/** A named dependency the service needs to be ready (Postgres, Redis). Resolves when it answers. */
export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

export interface HttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessCheck[];
  /** Largest body accepted, in bytes. */
  bodyLimit?: number;
  fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance' | 'bodyLimit'>;
}

/**
 * A fastify instance with what every Sapa HTTP service has: the contract's error shape,
 * `/healthz`, `/readyz`, `/metrics`, and request latency recorded per route.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    ...options.fastify,
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // One line per refused or failed request (the error handler) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });

  app.setErrorHandler((error: FastifyError | SapaError, request, reply) => {
    const body = toErrorBody(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status, url: request.routeOptions.url }, 'request refused');
    void reply.status(body.status).send({ error: { code: body.code, message: body.message, details: body.details } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'route_not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    options.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', HIDDEN, async () => ({ status: 'ok' }));
  app.get('/readyz', HIDDEN, async (_request, reply) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `failing: ${(err as Error).message}`] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', HIDDEN, async (_request, reply) => {
    return reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  return app;
}

// Operational routes stay out of the OpenAPI document.
const HIDDEN = { schema: { hide: true } as Record<string, unknown> };

interface ErrorParts {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

function toErrorBody(error: FastifyError | SapaError): ErrorParts {
  if (error instanceof SapaError) {
    return { status: error.statusCode, code: error.code, message: error.message, details: error.details };
  }
  if (error.validation) {
    return {
      status: 400,
      code: 'validation_failed',
      message: `invalid ${error.validationContext ?? 'request'}: ${error.message}`,
      details: {
        errors: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message, params: v.params })),
      },
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'payload_too_large', message: 'the body is larger than allowed' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'send the body as application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: 'the body is not valid JSON' };
  }
  if (error instanceof SyntaxError) return { status: 400, code: 'invalid_json', message: 'the body is not valid JSON' };
  const status = error.statusCode ?? 500;
  if (status < 500) return { status, code: (error.code ?? 'bad_request').toLowerCase(), message: error.message };
  return { status: 500, code: 'internal_error', message: 'something went wrong on our side; it has been logged' };
}

/** For services with no API of their own (router, tickets): `/healthz`, `/readyz` and `/metrics` on a port. */
export async function startOpsServer(options: HttpServerOptions & { host: string; port: number }): Promise<FastifyInstance> {
  const app = createHttpServer(options);
  await app.listen({ host: options.host, port: options.port });
  return app;
}
