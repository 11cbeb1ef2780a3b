import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

/** A visitor's socket as a test drives it: every frame kept, waits by type, and how it ended. */
export interface VisitorSocket {
  ws: WebSocket;
  frames: Frame[];
  /** The first frame of `type` after the `after`-th frame received (default: any), waiting up to 5 s. */
  next(type: string, after?: number): Promise<Frame>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens `GET /livechat/{channelId}/ws` on `baseUrl` with `Origin: origin` (none when null). */
export async function openVisitorSocket(baseUrl: string, channelId: string, origin: string | null): Promise<VisitorSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/livechat/${channelId}/ws`, origin ? { origin } : {});
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (raw) => {
    frames.push(JSON.parse(String(raw)) as Frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    async next(type, after = 0) {
      const until = Date.now() + 5000;
      for (;;) {
        const found = frames.slice(after).find((f) => f.type === type);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no ${type} frame; got ${JSON.stringify(frames.map((f) => f.type))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    send(frame) {
      ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
    },
    closed,
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

/** The status of a refused upgrade (the socket never opens). */
export async function upgradeStatus(baseUrl: string, channelId: string, origin: string | null): Promise<number> {
  try {
    const socket = await openVisitorSocket(baseUrl, channelId, origin);
    await socket.close();
    return 101;
  } catch (err) {
    return (err as { statusCode?: number }).statusCode ?? 0;
  }
}
