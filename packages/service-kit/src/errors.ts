/**
 * An error that knows its HTTP status and its contract code (api-contract.md §Defaults):
 * the error handler turns it into `{error: {code, message, details}}`.
 */
export class SapaError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SapaError';
  }
}

export type SapaErrorFactory = ((message?: string, details?: Record<string, unknown>) => SapaError) & {
  code: string;
  statusCode: number;
};

/** Declares an error once: `const GateNotMet = defineError('gate_not_met', 409, 'a gate does not hold')`. */
export function defineError(code: string, statusCode: number, defaultMessage: string): SapaErrorFactory {
  const make = (message?: string, details?: Record<string, unknown>) =>
    new SapaError(code, statusCode, message ?? defaultMessage, details);
  return Object.assign(make, { code, statusCode });
}

export const BadRequest = defineError('bad_request', 400, 'the request is not valid');
export const Unauthorized = defineError('unauthorized', 401, 'send a valid bearer token in the Authorization header');
export const Forbidden = defineError('forbidden', 403, 'your role may not do this');
export const NotFound = defineError('not_found', 404, 'no such resource');
export const Conflict = defineError('conflict', 409, 'the resource is in a state that does not allow this');
export const PayloadTooLarge = defineError('payload_too_large', 413, 'the body is larger than allowed');
