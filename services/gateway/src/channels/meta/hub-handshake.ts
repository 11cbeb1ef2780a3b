import { HandshakeRefused } from '../../errors.js';
import { sameSecret } from './same-secret.js';

/**
 * Meta's check of a webhook URL (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`), made when an admin
 * saves the callback URL in the app dashboard: the challenge is echoed only to whoever knows the verify token, so
 * nobody else can point their own Meta app at a Sapa channel.
 */
export function answerHubHandshake(query: Record<string, unknown>, verifyToken: string): string {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || !sameSecret(token, verifyToken)) throw HandshakeRefused();
  if (typeof challenge !== 'string' || challenge.length === 0) throw HandshakeRefused('hub.challenge is missing; Meta sends one to echo');
  return challenge;
}
