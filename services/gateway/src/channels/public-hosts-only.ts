import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { SendFailure } from './channel-adapter.js';

/**
 * Whether an address is on the public internet. Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16 — where clouds keep their metadata service — and fe80::/10), carrier-grade NAT, multicast, reserved and
 * unspecified addresses are not; an IPv4 address written as IPv6 is judged as IPv4.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * DNS as the connection sees it, refusing names that resolve to a non-public address. Checked when connecting rather
 * than before the request, so a name that answers a public address to a first lookup and a private one to the
 * next (DNS rebinding) still cannot reach inside.
 */
function publicLookup(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) return callback(Object.assign(new Error(`${hostname} is not a public host`), { code: 'ENOTPUBLIC' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

const publicOnly = new Agent({ connect: { lookup: publicLookup } });

const MAX_REDIRECTS = 5;

/**
 * `fetch` for URLs a third party chose (an integrator's attachment link): only to public hosts, by name or by address,
 * and through redirects, each of which is checked again. Sapa's gateway sits beside Postgres, Redis and a cloud's
 * metadata service; a link must not be a way to reach them (server-side request forgery).
 */
export async function fetchPublic(url: string, init: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const literal = current.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(literal) && !isPublicAddress(literal)) throw new SendFailure(`the link points at ${literal}, which is not a public address`, false);
    const response = (await undiciFetch(current, { ...init, redirect: 'manual', dispatcher: publicOnly })) as unknown as Response;
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw new SendFailure(`the link redirects more than ${MAX_REDIRECTS} times`, false);
    current = new URL(location, current);
    if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new SendFailure(`the link redirects to a ${current.protocol} URL`, false);
  }
}

/** Whether a fetch failed because the host was refused here (never worth retrying). */
export function isRefusedHost(err: unknown): boolean {
  let cause: unknown = err;
  for (let depth = 0; cause && depth < 5; depth++) {
    if ((cause as { code?: string }).code === 'ENOTPUBLIC') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
