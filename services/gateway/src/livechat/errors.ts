import { defineError } from '@sapa/service-kit';

/** The live chat's refusals over HTTP (the upload route, the socket's upgrade); socket frames reuse the same codes. */
export const OriginNotAllowed = defineError(
  'origin_not_allowed',
  403,
  "this page's origin may not use this live chat; add it to the channel's config.allowedOrigins (scheme://host[:port])",
);
export const InvalidVisitorToken = defineError(
  'invalid_visitor_token',
  401,
  'send the visitor token the chat gave at its start as Authorization: Bearer <token>; an unknown or expired token must start a new chat',
);
export const EmptyAttachment = defineError('empty_attachment', 400, 'the body is empty; send the bytes of the file as the request body');
export const TooManyUploads = defineError('rate_limited', 429, 'too many files from this chat; wait before sending another');
