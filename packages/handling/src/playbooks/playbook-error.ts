/**
 * The error of the playbook module, shaped like `HandlingError` (a snake_case `code` and `details`) so a service maps
 * it to the contract's error body the same way: `invalid_playbooks` (a file or `PUT /v1/playbooks` body that fails
 * validation; `details` lists every `{path, message}`) and `unknown_gate` (a gate key the playbook does not have).
 */
export class PlaybookError extends Error {
  override readonly name = 'PlaybookError';

  constructor(
    readonly code: 'invalid_playbooks' | 'unknown_gate',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
