import { Value } from '@sinclair/typebox/value';
import { crossCheckPlaybooks } from './cross-check-playbooks.js';
import { PlaybookError } from './playbook-error.js';
import { PlaybookFile, type Playbook } from './playbook-schema.js';
import { schemaErrors, type PathError } from './schema-errors.js';

export interface LoadPlaybooksOptions {
  /** The tenant's team keys; every dispatch target, escalation and approver team must be one of them. */
  teamKeys: readonly string[];
}

export type PlaybooksValidation = { ok: true; file: PlaybookFile } | { ok: false; errors: PathError[] };

/**
 * Validates a parsed playbook document (`data/playbooks-demo.json`, or a `PUT /v1/playbooks` body `{items}`) against
 * the schema, then cross-checks it: unique keys, k ≤ n, teams among `teamKeys`, gate and condition references to
 * fields, items and outcomes that exist. Defaults are filled in (`version` 1, `gates` [] …). Never throws; the
 * errors name the path of every bad field (`items[3].verification.rule.kOf`).
 */
export function validatePlaybooks(json: unknown, options: LoadPlaybooksOptions): PlaybooksValidation {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [{ path: '(root)', message: 'must be an object {items: [playbook, …]}' }] };
  }
  const value: unknown = Value.Default(PlaybookFile, structuredClone(json));
  const errors = schemaErrors(PlaybookFile, value);
  if (errors.length > 0) return { ok: false, errors };
  const file = value as PlaybookFile;
  const references = crossCheckPlaybooks(file.items, options.teamKeys);
  return references.length > 0 ? { ok: false, errors: references } : { ok: true, file };
}

/** Like `validatePlaybooks`, returning the whole file (source, service levels, conduct rules, items). */
export function loadPlaybookFile(json: unknown, options: LoadPlaybooksOptions): PlaybookFile {
  const result = validatePlaybooks(json, options);
  if (result.ok) return result.file;
  const list = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new PlaybookError('invalid_playbooks', `The playbooks are invalid (${result.errors.length} problem(s)): ${list}`, result.errors);
}

/**
 * The playbooks of a parsed document, validated; throws `PlaybookError` `invalid_playbooks` whose `details` lists every
 * `{path, message}`. The package reads no files: a service reads the JSON and hands it here.
 */
export function loadPlaybooks(json: unknown, options: LoadPlaybooksOptions): Playbook[] {
  return loadPlaybookFile(json, options).items;
}
