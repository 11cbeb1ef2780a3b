import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/** The widget's source, beside `src/` (and `dist/`): plain ES2019, served as written, no build step. */
const WIDGET_FILE = new URL('../../widget/livechat-widget.js', import.meta.url);

/**
 * `GET /livechat/widget.js`: the script a website embeds with `<script src="…/livechat/widget.js" data-channel="…">`.
 * Read once; cached by browsers for five minutes so a new version reaches visitors soon after a deploy.
 */
export function registerWidgetRoute(app: FastifyInstance): void {
  let source: Promise<Buffer> | undefined;
  app.get('/livechat/widget.js', async (_request, reply) => {
    source ??= readFile(WIDGET_FILE);
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(await source);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `GET /livechat/demo?channel=<id>&lang=id|en`: a bare page with the widget embedded, to try a live chat channel
 * without a website of one's own (the demo tenant's channel allows this gateway's origin). Only a uuid and a known
 * language reach the page, so nothing from the query can become markup.
 */
export function registerDemoPageRoute(app: FastifyInstance): void {
  app.get<{ Querystring: { channel?: string; lang?: string } }>('/livechat/demo', async (request, reply) => {
    const channel = request.query.channel ?? '';
    if (!UUID.test(channel)) return reply.status(400).send({ error: { code: 'invalid_channel', message: 'give ?channel=<live chat channel id>' } });
    const lang = request.query.lang === 'en' ? 'en' : 'id';
    const title = lang === 'en' ? 'Sapa live chat demo' : 'Demo live chat Sapa';
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'")
      .send(`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>${lang === 'en' ? 'The chat button is at the bottom right.' : 'Tombol chat ada di kanan bawah.'}</p>
<script src="/livechat/widget.js" data-channel="${channel.toLowerCase()}" data-lang="${lang}"></script>
</body>
</html>
`);
  });
}
