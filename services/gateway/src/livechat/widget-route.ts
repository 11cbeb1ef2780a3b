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
