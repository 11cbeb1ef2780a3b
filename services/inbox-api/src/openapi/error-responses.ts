import { ErrorBody } from '@sapa/contracts';

// Each copy carries its own description, so it drops the shared `$id` (one id, one schema).
const { $id: _id, ...errorBody } = ErrorBody;

const DESCRIPTIONS: Record<number, string> = {
  400: 'bad input (code says what); nothing changed',
  401: 'no valid bearer token (`unauthorized`)',
  403: 'the role may not do this (`forbidden`)',
  404: 'no such resource in this tenant',
  409: 'the resource is in a state that does not allow this',
  413: 'the file is larger than allowed (`attachment_too_large`; details.maxBytes)',
  415: 'the body is not of a content type this route reads (`unsupported_media_type`)',
  422: 'the body is well-formed but names something this route cannot use (code says what); nothing changed',
  502: 'a provider Sapa had to call refused or did not answer; details say why, nothing changed',
};

/** Response schemas of the listed error statuses, all in the contract's error shape. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 502>) {
  return Object.fromEntries(statuses.map((s) => [s, { ...errorBody, description: DESCRIPTIONS[s] }])) as Record<number, typeof ErrorBody>;
}

/** Every authenticated route can answer 401 and 403. */
export const AUTHED = [401, 403] as const;
