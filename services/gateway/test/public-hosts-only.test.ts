import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendFailure } from '../src/channels/channel-adapter.js';
import { apiMediaFetcher } from '../src/channels/api/media.js';
import { isPublicAddress } from '../src/channels/public-hosts-only.js';
import type { OpenedChannel } from '../src/channels/channel-adapter.js';

/** An integrator's attachment link must not reach what sits beside the gateway (server-side request forgery). */
describe('links to files only reach public hosts', () => {
  it.each([
    ['8.8.8.8', true],
    ['203.0.114.7', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  let server: Server;
  let base: string;
  const channel = { row: { type: 'api' }, secrets: {} } as unknown as OpenedChannel;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('secret inside'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetchFile = (url: string, allowPrivateHosts: boolean) => apiMediaFetcher.fetch(url, channel, { timeoutMs: 2000, maxBytes: 1024, allowPrivateHosts });

  it.each([
    ['an address on this machine', () => `${base}/file.txt`],
    ['a name that resolves to this machine', () => `${base.replace('127.0.0.1', 'localhost')}/file.txt`],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv6 loopback', () => 'http://[::1]:9/file.txt'],
  ])('refuses %s, for good', async (_what, url) => {
    const err = await fetchFile(url(), false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendFailure);
    expect((err as SendFailure).retryable).toBe(false);
    expect((err as Error).message).toMatch(/public/);
  });

  it('fetches from a private host only where that is allowed (tests, a closed network)', async () => {
    const file = await fetchFile(`${base}/file.txt`, true);
    expect(file.body.toString()).toBe('secret inside');
  });
});
