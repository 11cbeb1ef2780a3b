import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerDemoPageRoute } from '../src/livechat/widget-route.js';

/** `GET /livechat/demo`: the page that embeds the widget for a channel, and nothing from the query but a uuid. */
describe('the live chat demo page', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    registerDemoPageRoute(app);
    await app.ready();
  });
  afterAll(() => app.close());

  it('embeds the widget for the channel, in Indonesian unless English is asked for', async () => {
    const id = '0b5c1a9e-2f4d-4c6b-9a7e-1d2c3b4a5f60';
    const page = await app.inject({ url: `/livechat/demo?channel=${id}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(`<script src="/livechat/widget.js" data-channel="${id}" data-lang="id"></script>`);
    const english = await app.inject({ url: `/livechat/demo?channel=${id}&lang=en` });
    expect(english.body).toContain('data-lang="en"');
    expect(english.body).toContain('Sapa live chat demo');
  });

  it.each([
    ['no channel', ''],
    ['a channel that is no uuid', '?channel=abc'],
    ['markup in the channel', '?channel=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ])('refuses %s with 400 invalid_channel', async (_what, query) => {
    const res = await app.inject({ url: `/livechat/demo${query}` });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_channel']);
  });
});
