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
  const problems = new Map<string, string>();
  // TypeBox's conversion rounds "2.5" down to 2 for an integer; a person who wrote 2.5 meant something else: say so.
  for (const [key, raw] of Object.entries(picked)) {
    if ((properties[key] as { type?: unknown }).type === 'integer' && !/^[+-]?\d+$/.test(String(raw).trim())) {
      problems.set(key, `${key}: Expected a whole number (got ${JSON.stringify(redactIfSecret(key, String(raw)))})`);
    }
  }
  const value = Value.Convert(schema, Value.Default(schema, picked));
  for (const e of Value.Errors(schema, value)) {
    const name = e.path.replace(/^\//, '') || '(root)';
    if (problems.has(name)) continue; // one line per variable: its first problem says enough
    const given = env[name] === undefined ? 'unset' : `got ${JSON.stringify(redactIfSecret(name, env[name]))}`;
    problems.set(name, `${name}: ${e.message} (${given})`);
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
  return Object.freeze(value as Static<TObject<P>>);
}

function redactIfSecret(name: string, value: string | undefined): string | undefined {
  return /SECRET|PASSWORD|TOKEN|KEY/.test(name) ? '***' : value;
}

/**
 * For a service's main.ts: loads its config, or prints the one-line-per-variable ConfigError and exits 2,
 * with no stack trace (api-contract.md §Configuration: "a wrong value stops the service with one clear line").
 */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${service}: ${err.message}`);
    process.exit(2);
  }
}
