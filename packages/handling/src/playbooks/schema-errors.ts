import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';

/** One problem of a document: where (`items[3].verification.rule.kOf`) and what. */
export interface PathError {
  path: string;
  message: string;
}

/** `/items/3/verification/rule/kOf` → `items[3].verification.rule.kOf`; the root is `(root)`. */
export function toDotPath(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
  return path || '(root)';
}

/**
 * Every problem of `value` against `schema`, each at the path of the bad field. TypeBox reports a failed union as one
 * "Expected union value" at the union; that says nothing useful for a gate check or a verification rule, so the
 * errors of the variant that fits best are reported instead: the one whose `kind` matches, else the one with the
 * fewest problems. A union of literals (an enum) reports the allowed values.
 */
export function schemaErrors(schema: TSchema, value: unknown): PathError[] {
  const out = new Map<string, PathError>();
  collect([...Value.Errors(schema, value)], out);
  return [...out.values()];
}

function collect(errors: ValueError[], out: Map<string, PathError>): void {
  for (const error of errors) {
    const path = toDotPath(error.path);
    if (error.type !== ValueErrorType.Union || error.errors.length === 0) {
      // One line per path: its first problem says enough ("Expected required property", not also "Expected string").
      if (!out.has(path)) out.set(path, { path, message: error.message });
      continue;
    }
    const literals = literalValues(error.schema);
    if (literals) {
      const message = `Expected one of ${literals.map((l) => JSON.stringify(l)).join(', ')}`;
      if (!out.has(path)) out.set(path, { path, message });
      continue;
    }
    collect(bestVariant(error), out);
  }
}

function literalValues(schema: TSchema): unknown[] | null {
  const variants = (schema as { anyOf?: TSchema[] }).anyOf ?? [];
  return variants.length > 0 && variants.every((v) => 'const' in v) ? variants.map((v) => (v as unknown as { const: unknown }).const) : null;
}

function bestVariant(error: ValueError): ValueError[] {
  const variants = error.errors.map((iterator) => [...iterator]);
  const kindPointer = `${error.path}/kind`;
  const kindMatches = variants.filter((v) => !v.some((e) => e.path === kindPointer));
  const kinds = ((error.schema as { anyOf?: TSchema[] }).anyOf ?? [])
    .map((v) => (v as { properties?: { kind?: { const?: unknown } } }).properties?.kind?.const)
    .filter((k) => k !== undefined);
  if (kinds.length > 0 && kindMatches.length === 0) {
    return [{ ...error, type: ValueErrorType.Literal, path: kindPointer, message: `Expected one of ${kinds.map((k) => JSON.stringify(k)).join(', ')}`, errors: [] }];
  }
  const pool = kindMatches.length > 0 ? kindMatches : variants;
  return pool.reduce((best, v) => (v.length < best.length ? v : best));
}
