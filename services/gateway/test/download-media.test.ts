import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenedChannel } from '../src/channels/channel-adapter.js';
import { downloadMedia } from '../src/channels/download-media.js';
import { messengerChannel } from '../src/channels/meta-messaging/index.js';
import { failureOf } from './helpers/failure-of.js';

/** A stand-in for a channel's CDN: each path answers one way. */
let server: Server;
let base: string;
let lastHeaders: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    switch (req.url) {
      case '/photo.jpg':
        return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-disposition': 'inline; filename="struk.jpg"' }).end(Buffer.alloc(2000, 1));
      case '/declared-large':
        return res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      case '/streamed-large':
        // No Content-Length: the size shows only while reading.
        res.writeHead(200, { 'content-type': 'video/mp4' });
        for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(1000));
        return res.end();
      case '/expired':
        return res.writeHead(403).end('URL signature expired');
      case '/busy':
        return res.writeHead(503).end();
      case '/slow':
        return setTimeout(() => res.writeHead(200).end('late'), 2_000).unref();
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = { timeoutMs: 500, maxBytes: 4096, source: 'the test CDN' };

describe('downloadMedia', () => {
  it('returns the bytes with their content type and file name', async () => {
    const media = await downloadMedia(`${base}/photo.jpg`, options);
    expect([media.body.length, media.contentType, media.filename]).toEqual([2000, 'image/jpeg', 'struk.jpg']);
  });

  it.each([
    ['a declared Content-Length over the limit', '/declared-large', false, 'the test CDN file is 5000 bytes, more than the 4096 bytes this channel takes'],
    ['a body that grows past the limit while read', '/streamed-large', false, 'the test CDN file is more than the 4096 bytes this channel takes'],
    ['an expired link (403)', '/expired', false, 'the test CDN answered 403; the link may have expired'],
    ['a 404', '/gone', false, 'the test CDN answered 404; the link may have expired'],
    ['a 503, which may pass', '/busy', true, 'the test CDN answered 503'],
    ['no answer in time, which may pass', '/slow', true, 'the test CDN unreachable: no answer within 500 ms'],
  ])('fails on %s', async (_case, path, retryable, message) => {
    const failure = await failureOf(downloadMedia(`${base}${path}`, options));
    expect([failure.retryable, failure.message]).toEqual([retryable, message]);
  });
});

describe('Messenger and Instagram media', () => {
  const channel = { row: { id: 'c', type: 'messenger', config: {} }, secrets: { pageAccessToken: 'EAAG-secret-token' } } as unknown as OpenedChannel;

  it("fetches Meta's CDN link as it is, without the Page's token", async () => {
    const media = await messengerChannel.media!.fetch(`${base}/photo.jpg`, channel, { timeoutMs: 500, maxBytes: 4096, allowPrivateHosts: true });
    expect(media.body.length).toBe(2000);
    expect(JSON.stringify(lastHeaders)).not.toContain('EAAG-secret-token');
  });

  it('refuses a link that is not http(s), for good', async () => {
    const failure = await failureOf(messengerChannel.media!.fetch('whatsapp-media:123', channel, { timeoutMs: 500, maxBytes: 4096, allowPrivateHosts: true }));
    expect(failure.retryable).toBe(false);
  });
});
