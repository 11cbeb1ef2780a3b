import type { OpenedChannel } from '../channel-adapter.js';

/**
 * Meta's default throughput of a Cloud API number is 80 messages a second (raised to 1000 on request); sending faster
 * earns error 130429. A channel whose number was upgraded says so in config `messagesPerSecond`.
 */
export const DEFAULT_MESSAGES_PER_SECOND = 80;

export function messagesPerSecondOf(channel: OpenedChannel): number {
  const configured = channel.row.config.messagesPerSecond;
  return typeof configured === 'number' && Number.isInteger(configured) && configured >= 1 ? configured : DEFAULT_MESSAGES_PER_SECOND;
}

/** The throttle key of a number: every channel row (and replica) sending from it shares one rate. */
export function throughputKeyOf(phoneNumberId: string): string {
  return `whatsapp:${phoneNumberId}`;
}
