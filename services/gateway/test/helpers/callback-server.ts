import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@sapa/contracts';

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Whether the signature checked out the way an integrator checks it. */
  signatureValid: boolean;
}

export interface CallbackServer {
  url: string;
  received: ReceivedCallback[];
  /** Status to answer for the n-th request (0-based); default 200. */
  answer: (n: number) => number;
  close(): Promise<void>;
}

/** An integrator's callback endpoint on 127.0.0.1, verifying Sapa's signature with the channel's secret. */
export async function startCallbackServer(secret: () => string): Promise<CallbackServer> {
  const state: CallbackServer = { url: '', received: [], answer: () => 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const check = verifySignature(
        secret(),
        { timestamp: req.headers['x-sapa-timestamp'] as string, signature: req.headers['x-sapa-signature'] as string },
        raw,
        Math.floor(Date.now() / 1000),
      );
      const n = state.received.length;
      state.received.push({ headers: req.headers, body: JSON.parse(raw.toString('utf8')), signatureValid: check.ok });
      const status = state.answer(n);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/sapa/callback`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
