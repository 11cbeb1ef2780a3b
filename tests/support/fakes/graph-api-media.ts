import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The WhatsApp Cloud API's media side, for the fake Graph API (graph-api.ts), as documented at
 * developers.facebook.com/docs/whatsapp/cloud-api/reference/media:
 * - `GET /{version}/{media-id}` → `{messaging_product, url, mime_type, sha256, file_size, id}`; an id Meta does not
 *   hold → 400 `(#100) Unsupported get request` (code 100, subcode 33), as the Graph API answers any unknown object;
 * - `GET {url}` (a lookaside.fbsbx.com-style link, `/whatsapp_business/attachments/?mid=…`) → the bytes, with the same
 *   bearer token; a removed file → 404;
 * - `POST /{version}/{phone-number-id}/media` (multipart: `file`, `type`, `messaging_product`) → `{id}`;
 * and the checks a `messages` send of a template or a media message passes.
 */

export interface FakeMedia {
  id: string;
  body: Buffer;
  mimeType: string;
  filename?: string;
  /** The number it was uploaded to; undefined for a customer's file. */
  phoneNumberId?: string;
}

export interface FakeWhatsappMedia {
  /** A customer's file as Meta holds it once they sent it; answers the media id a webhook names. */
  add(file: { body: Buffer; mimeType: string }): string;
  /** Meta deletes media (30 days after upload): the id still answers, its download link 404s. */
  remove(id: string): void;
  /** What Sapa uploaded, in order. */
  uploads: FakeMedia[];
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;
type SendBytes = (status: number, body: Buffer, contentType: string) => void;
type Recorded = { httpMethod: string; path: string; phoneNumberId: string; headers: IncomingMessage['headers']; body: Record<string, unknown>; at: number };

const MEDIA_INFO = /^(?:\/v\d+\.\d+)?\/([0-9]{6,})$/;
const UPLOAD = /^(?:\/v\d+\.\d+)?\/(\d+)\/media$/;
const DOWNLOAD = '/whatsapp_business/attachments/';

const graphError = (code: number, message: string, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode !== undefined && { error_subcode: subcode }), fbtrace_id: `A${randomBytes(8).toString('hex')}` },
});

export function createFakeWhatsappMedia(origin: () => string, requests: Recorded[]) {
  const files = new Map<string, FakeMedia>();
  const removed = new Set<string>();
  const uploads: FakeMedia[] = [];
  const newId = () => String(1_000_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999_999));

  const media: FakeWhatsappMedia = {
    add(file) {
      const id = newId();
      files.set(id, { id, ...file });
      return id;
    },
    remove: (id) => void removed.add(id),
    uploads,
  };

  /** Answers a media request and returns true, or returns false for a path that is not one. */
  async function handle(req: IncomingMessage, url: URL, raw: Buffer, send: Send, sendBytes: SendBytes): Promise<boolean> {
    const path = url.pathname;
    const info = req.method === 'GET' ? MEDIA_INFO.exec(path) : null;
    const upload = req.method === 'POST' ? UPLOAD.exec(path) : null;
    const download = req.method === 'GET' && path === DOWNLOAD;
    if (!info && !upload && !download) return false;
    requests.push({ httpMethod: req.method!, path: `${path}${url.search}`, phoneNumberId: upload?.[1] ?? '', headers: req.headers, body: {}, at: Date.now() });
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      send(401, graphError(190, 'Error validating access token: Session has expired'));
      return true;
    }
    if (info) {
      const file = files.get(info[1]!) ?? uploads.find((u) => u.id === info[1]);
      if (!file) {
        send(400, graphError(100, `Unsupported get request. Object with ID '${info[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33));
        return true;
      }
      send(200, {
        messaging_product: 'whatsapp',
        url: `${origin()}${DOWNLOAD}?mid=${file.id}&ext=${Math.floor(Date.now() / 1000) + 300}&hash=${randomBytes(12).toString('base64url')}`,
        mime_type: file.mimeType,
        sha256: createHash('sha256').update(file.body).digest('hex'),
        file_size: String(file.body.length),
        id: file.id,
      });
      return true;
    }
    if (download) {
      const id = url.searchParams.get('mid') ?? '';
      const file = files.get(id) ?? uploads.find((u) => u.id === id);
      if (!file || removed.has(id)) send(404, { error: 'not found' });
      else sendBytes(200, file.body, file.mimeType);
      return true;
    }
    const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => undefined);
    const file = form?.get('file');
    if (!form || form.get('messaging_product') !== 'whatsapp' || typeof form.get('type') !== 'string' || !(file instanceof Blob)) {
      send(400, graphError(100, '(#100) The parameter messaging_product is required; upload multipart with file, type and messaging_product'));
      return true;
    }
    const stored: FakeMedia = {
      id: newId(),
      body: Buffer.from(await file.arrayBuffer()),
      mimeType: form.get('type') as string,
      ...(file instanceof File && file.name && { filename: file.name }),
      phoneNumberId: upload![1]!,
    };
    uploads.push(stored);
    send(200, { id: stored.id });
    return true;
  }

  /** Why Meta would refuse a `messages` send of a template or a media message, or undefined when it would take it. */
  function refusalOf(body: Record<string, unknown>): { error: unknown } | undefined {
    const type = body.type as string | undefined;
    if (type === 'template') {
      const t = body.template as { name?: unknown; language?: { code?: unknown } } | undefined;
      if (typeof t?.name !== 'string' || typeof t.language?.code !== 'string') return graphError(100, '(#100) Invalid parameter: template.name and template.language.code are required');
    }
    if (type === 'image' || type === 'document' || type === 'audio' || type === 'video') {
      const m = body[type] as { id?: unknown; link?: unknown; caption?: unknown } | undefined;
      if (typeof m?.id !== 'string' && typeof m?.link !== 'string') return graphError(100, `(#100) Invalid parameter: ${type} needs an id or a link`);
      if (typeof m.id === 'string' && !uploads.some((u) => u.id === m.id)) return graphError(131053, '(#131053) Media upload error: unknown media id');
      if (type === 'audio' && m.caption !== undefined) return graphError(100, '(#100) Invalid parameter: audio takes no caption');
    }
    return undefined;
  }

  return { media, handle, refusalOf };
}
