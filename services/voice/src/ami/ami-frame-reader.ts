/**
 * Asterisk's AMI wire format (a TCP line protocol): one greeting line (`Asterisk Call Manager/7.0.3`), then blocks of
 * `Key: Value` lines ended by CRLF, each block ended by an empty line. Pure: bytes in, frames out, so it is tested
 * against recorded sessions without a socket.
 */
export type AmiFrame = Readonly<Record<string, string>>;

export type AmiRead =
  | { kind: 'greeting'; line: string }
  | { kind: 'frame'; frame: AmiFrame; raw: string }
  | { kind: 'malformed'; raw: string; reason: string };

/** A block that grows past this without ending is not AMI: it is given up as malformed and reading goes on. */
export const MAX_FRAME_BYTES = 64 * 1024;

const BLOCK_END = /\r?\n\r?\n/;
const LINE = /^([A-Za-z0-9_-]+):[ \t]?(.*)$/;

/** Splits what arrives on one AMI connection into frames, across any chunking of the bytes. */
export class AmiFrameReader {
  private buffer = '';
  private greeted = false;

  /** Takes the next bytes; answers everything they complete, in order. */
  push(chunk: Buffer | string): AmiRead[] {
    this.buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const out: AmiRead[] = [];
    if (!this.greeted) {
      const end = this.buffer.indexOf('\n');
      if (end < 0) return this.guardSize(out);
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.greeted = true;
      out.push({ kind: 'greeting', line });
    }
    for (;;) {
      const match = BLOCK_END.exec(this.buffer);
      if (!match) break;
      const raw = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      // Blank lines between blocks are not frames.
      if (raw.trim() === '') continue;
      out.push(parseBlock(raw));
    }
    return this.guardSize(out);
  }

  private guardSize(out: AmiRead[]): AmiRead[] {
    if (Buffer.byteLength(this.buffer) > MAX_FRAME_BYTES) {
      out.push({ kind: 'malformed', raw: this.buffer, reason: `no end of block within ${MAX_FRAME_BYTES} bytes` });
      this.buffer = '';
    }
    return out;
  }
}

/** One block as a frame, or why it is none: a line without `Key: Value`, or no `Event`, `Response` (or `Action`). */
export function parseBlock(raw: string): AmiRead {
  const frame: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (!m) return { kind: 'malformed', raw, reason: `not a "Key: Value" line: ${JSON.stringify(line.slice(0, 80))}` };
    // A key may repeat (ChanVariable): the first one is kept, as the events Sapa reads never repeat theirs.
    if (!(m[1]! in frame)) frame[m[1]!] = m[2]!;
  }
  // Action: what a client sends (read by test servers); Asterisk itself sends Events and Responses.
  if (frame.Event === undefined && frame.Response === undefined && frame.Action === undefined) {
    return { kind: 'malformed', raw, reason: 'a block with neither Event nor Response' };
  }
  return { kind: 'frame', frame, raw };
}

/**
 * An action as AMI bytes. Values cannot hold a line break (it would end the line and let a value write its own keys),
 * so one that does is refused rather than sent.
 */
export function formatAction(fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(([key, value]) => {
    if (/[\r\n]/.test(key) || /[\r\n]/.test(value)) throw new Error(`AMI field ${key} holds a line break; it cannot be sent`);
    return `${key}: ${value}\r\n`;
  });
  return `${lines.join('')}\r\n`;
}
