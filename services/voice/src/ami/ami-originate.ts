import type { OriginateRequest } from '@sapa/contracts';
import type { Logger } from '@sapa/service-kit';
import { createAmiClient, type AmiClientOptions, type AmiState } from './ami-client.js';
import type { AmiFrame } from './ami-frame-reader.js';

/** How a channel's PBX places a click-to-call (channels.config.ami: `originateContext`, `endpointTechnology`). */
export interface OriginateSettings {
  /** The dialplan context the customer's number is dialled in (default `from-internal`, FreePBX's and most PBXs'). */
  context: string;
  /** How the agent's phone is reached: `<technology>/<extension>` (default `PJSIP`). */
  technology: 'PJSIP' | 'SIP' | 'IAX2';
}

export const DEFAULT_ORIGINATE: OriginateSettings = { context: 'from-internal', technology: 'PJSIP' };

/** How long the agent's phone rings before the PBX gives the click-to-call up. */
const RING_AGENT_MS = 30_000;

/**
 * The AMI `Originate` of a click-to-call: ring the agent's phone (`Channel`), and once it is picked up dial the
 * customer's number in the dialplan (`Context`, `Exten`, `Priority: 1`), so the call runs the center's own outbound
 * rules (trunk, caller id, recording). `Async` makes the PBX answer at once instead of after the agent picks up; the
 * agent's phone shows the customer (`CallerID`). Pure: the frame is checked by the tests as the PBX receives it.
 */
export function originateActionOf(req: Pick<OriginateRequest, 'extension' | 'number' | 'customerName'>, settings: OriginateSettings): Record<string, string> {
  // A caller id name is a quoted string on the wire: no quotes, angle brackets or line breaks from a contact's name.
  const name = (req.customerName ?? '').replace(/["<>\r\n]/g, ' ').trim().slice(0, 80);
  return {
    Action: 'Originate',
    Channel: `${settings.technology}/${req.extension}`,
    Context: settings.context,
    Exten: req.number,
    Priority: '1',
    CallerID: name ? `"${name}" <${req.number}>` : `<${req.number}>`,
    Timeout: String(RING_AGENT_MS),
    Async: 'true',
  };
}

export interface OriginateTarget {
  host: string;
  port: number;
  user: string;
  secret: string;
}

/** The PBX refused Sapa's login: retrying will not help until the channel's AMI user or secret is fixed. */
export class AmiLoginRefused extends Error {}

/**
 * Sends one `Originate` on a connection of its own (login without events, the action, logoff) and answers the PBX's
 * Response, `Success` or `Error`. A connection of its own, not the channel's event session: that session lives on
 * whichever replica holds the channel's lease, this request on whichever replica took the job, and Asterisk takes
 * several manager connections. Rejects when the PBX cannot be reached or refuses the login.
 */
export async function originateCall(
  target: OriginateTarget,
  action: Record<string, string>,
  deps: { logger: Logger; client?: Pick<AmiClientOptions, 'answerTimeoutMs' | 'backoff'>; connectTimeoutMs?: number },
): Promise<AmiFrame> {
  let settle: ((state: AmiState, detail?: string) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settle = (state, detail) => {
      if (state === 'logged_in') resolve();
      else if (state === 'login_refused') reject(new AmiLoginRefused(`the PBX refused the AMI login: ${detail ?? 'no reason given'}`));
      else if (state === 'disconnected') reject(new Error(`the PBX at ${target.host}:${target.port} could not be reached`));
    };
  });
  const client = createAmiClient({
    host: target.host,
    port: target.port,
    username: target.user,
    secret: target.secret,
    logger: deps.logger,
    events: false,
    keepaliveMs: 3_600_000,
    ...deps.client,
    onEvent: () => undefined,
    onMalformed: () => undefined,
    onState: (state, detail) => settle?.(state, detail),
  });
  const timeout = setTimeout(() => settle?.('disconnected'), deps.connectTimeoutMs ?? 10_000);
  client.start();
  try {
    await ready;
    return await client.action(action);
  } finally {
    clearTimeout(timeout);
    await client.stop();
  }
}
