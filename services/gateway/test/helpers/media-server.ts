import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MediaFile {
  status?: number;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Declares this Content-Length and closes without sending it (a file too large to be worth reading). */
  declareLength?: number;
}

/** A CDN on 127.0.0.1 serving the files of `files` by path; counts requests per path. */
export async function startMediaServer(files: Record<string, MediaFile>): Promise<{ url: string; hits: Record<string, number>; close(): Promise<void> }> {
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits[path] = (hits[path] ?? 0) + 1;
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    if (file.declareLength !== undefined) {
      res.writeHead(file.status ?? 200, { 'content-length': String(file.declareLength), ...file.headers });
      res.write(Buffer.alloc(1024));
      return void setTimeout(() => res.destroy(), 50);
    }
    res.writeHead(file.status ?? 200, { ...(file.body && { 'content-length': String(file.body.length) }), ...file.headers }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
