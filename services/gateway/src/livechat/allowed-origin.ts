/**
 * Whether a browser page of `origin` (its `Origin` header) may use a live chat channel: exactly one of the channel's
 * `allowedOrigins`, compared as origins (scheme, host and port; case and default ports aside). No header is no: every
 * browser sends one on a WebSocket upgrade and on a cross-origin POST, so only a script outside a browser omits it.
 */
export function isAllowedOrigin(allowedOrigins: readonly string[], origin: string | string[] | undefined): boolean {
  if (typeof origin !== 'string' || origin === 'null') return false;
  const asked = originOf(origin);
  return asked !== undefined && allowedOrigins.some((allowed) => originOf(allowed) === asked);
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
