import { FormatRegistry, type TSchema, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InvalidJson, ValidationFailed } from '../errors.js';

// TypeBox checks formats only when told how; these are the two the channel schemas use.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => /^[a-z][a-z0-9+.-]*:/i.test(v) && URL.canParse(v));

/**
 * A validator for a webhook body, run in the handler after the signature check (fastify's schema
 * validation would run before it, on input nobody has vouched for yet).
 * Returns the typed body or throws a 400 `validation_failed` listing every problem.
 */
export function compileBodyValidator<T extends TSchema>(schema: T): (value: unknown) => Static<T> {
  const check = TypeCompiler.Compile(schema);
  return (value) => {
    if (check.Check(value)) return value;
    const errors = [...check.Errors(value)].slice(0, 20).map((e) => ({ path: e.path || '/', message: e.message }));
    throw ValidationFailed(`invalid body: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  };
}

/** Parses JSON bytes, or throws the contract's 400 `invalid_json`. */
export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw InvalidJson();
  }
}
