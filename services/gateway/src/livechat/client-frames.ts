import { TypeCompiler } from '@sinclair/typebox/compiler';
import { LivechatClientFrame, LivechatMessageFrame } from '@sapa/contracts';

const controlFrame = TypeCompiler.Compile(LivechatClientFrame);
const messageFrame = TypeCompiler.Compile(LivechatMessageFrame);
const KNOWN_TYPES = new Set(['start', 'resume', 'typing', 'end', 'ping', 'message']);

/** Why a frame was refused. `content` says whether it may be a customer's words (kept in quarantine) or is protocol noise. */
export interface BadFrame {
  kind: 'bad';
  code: 'invalid_json' | 'binary_not_accepted' | 'unknown_frame_type' | 'invalid_frame' | 'invalid_message';
  content: boolean;
  details?: Record<string, unknown>;
}

export type ReadFrame = { kind: 'control'; frame: LivechatClientFrame } | { kind: 'message'; frame: LivechatMessageFrame } | BadFrame;

/**
 * Reads one frame off the visitor's socket. Text that is not JSON may be a message from a broken or older widget, and
 * a `message` frame out of shape certainly holds the visitor's words: both are content. Binary frames (files go
 * through the upload route), unknown types and control frames out of shape are noise.
 */
export function readClientFrame(data: Buffer, isBinary: boolean): ReadFrame {
  if (isBinary) return { kind: 'bad', code: 'binary_not_accepted', content: false };
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    return { kind: 'bad', code: 'invalid_json', content: true };
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return { kind: 'bad', code: 'unknown_frame_type', content: false, details: { type: typeof type === 'string' ? type.slice(0, 40) : null } };
  }
  if (type === 'message') {
    if (messageFrame.Check(value)) return { kind: 'message', frame: value };
    return { kind: 'bad', code: 'invalid_message', content: true, details: { errors: problems(messageFrame, value) } };
  }
  if (controlFrame.Check(value)) return { kind: 'control', frame: value };
  return { kind: 'bad', code: 'invalid_frame', content: false, details: { type } };
}

function problems(check: { Errors(value: unknown): Iterable<{ path: string; message: string }> }, value: unknown) {
  return [...check.Errors(value)].slice(0, 10).map((e) => ({ path: e.path || '/', message: e.message }));
}
