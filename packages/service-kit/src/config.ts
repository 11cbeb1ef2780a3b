import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Variables every service reads (api-contract.md §Configuration). */
export const BaseConfigSchema = {
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/sapa', pattern: '^postgres(ql)?://' }),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
  /** Prefix of every Redis key Sapa writes (BullMQ queues, events, dedupe). Wrap in {} for Redis Cluster. */
  SAPA_REDIS_PREFIX: Type.String({ default: 'sapa', pattern: '^[A-Za-z0-9_{}.-]+$' }),
  SAPA_SECRET_KEY: Type.String({ minLength: 16 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads, converts (strings to numbers/booleans) and validates the environment against a schema;
 * returns a frozen typed object or throws a ConfigError listing every bad variable at once.
 */
export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<TObject<P>>> {
  const schema = Type.Object(properties);
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }
  const value = Value.Convert(schema, Value.Default(schema, picked));
  const problems = [...Value.Errors(schema, value)].map((e) => {
    const name = e.path.replace(/^\//, '') || '(root)';
    const given = env[name] === undefined ? 'unset' : `got ${JSON.stringify(redactIfSecret(name, env[name]))}`;
    return `${name}: ${e.message} (${given})`;
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(value as Static<TObject<P>>);
}

function redactIfSecret(name: string, value: string | undefined): string | undefined {
  return /SECRET|PASSWORD|TOKEN|KEY/.test(name) ? '***' : value;
}
