import QRCode from 'qrcode';
import type { ChannelStatus } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { moveWhatsappSessionStatus, setWhatsappPairing } from '@sapa/db/queries/whatsapp-sessions';
import type { EventBus } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { FencedOut } from '../auth/fenced-out.js';
import type { SessionRef } from '../auth/postgres-auth-state.js';

export interface StatusDeps {
  db: Db;
  secretBox: SecretBox;
  eventBus: EventBus;
  logger: Logger;
}

/** What links the phone right now: Baileys' QR string and, for a channel with a phone number, a pairing code. */
export interface Pairing {
  qr?: string;
  pairingCode?: string;
}

/** WhatsApp renews the QR every 20 s after the first 60 s; a stored one older than this is not shown any more. */
const PAIRING_VALID_MS = 60_000;

/**
 * Records a new QR (as a PNG data URL, ready for an `<img>`) or pairing code for `GET /v1/channels/{id}/pairing`, sets
 * the channel `pairing`, and tells the tenant's admins (`channel.pairing`). Fenced: a stale holder's QR is refused. A
 * channel an admin unlinked or disabled meanwhile stays so, and nobody is shown a QR for it.
 */
export async function publishPairing(deps: StatusDeps, ref: SessionRef, pairing: Pairing, now: Date = new Date()): Promise<void> {
  const shown = {
    ...(pairing.qr && { qr: await QRCode.toDataURL(pairing.qr, { errorCorrectionLevel: 'L', margin: 2, width: 264 }) }),
    ...(pairing.pairingCode && { pairingCode: pairing.pairingCode }),
  };
  const stored = await setWhatsappPairing(deps.db, ref.tenantId, ref.channelId, ref.fence, {
    pairingEnc: deps.secretBox.seal(shown),
    expiresAt: new Date(now.getTime() + PAIRING_VALID_MS),
  });
  if (!stored) throw new FencedOut(ref.channelId, ref.fence);
  if ((await moveWhatsappSessionStatus(deps.db, ref.tenantId, ref.channelId, 'pairing')) === 'refused') return keptByAdmin(deps, ref, 'pairing');
  await announce(deps, ref, { status: 'pairing', ...shown });
}

/**
 * Moves the channel to `status` (`active` once linked, `disconnected` after a logout, `error` when WhatsApp refuses
 * the number), clears any pairing state, and tells the admins when the status changed. Fenced like every write, and
 * never out of a status an admin set (moveWhatsappSessionStatus): their unlink wins a race with the socket.
 */
export async function changeStatus(deps: StatusDeps, ref: SessionRef, status: ChannelStatus, reason?: string): Promise<void> {
  if (!(await setWhatsappPairing(deps.db, ref.tenantId, ref.channelId, ref.fence, null))) throw new FencedOut(ref.channelId, ref.fence);
  const write = await moveWhatsappSessionStatus(deps.db, ref.tenantId, ref.channelId, status);
  if (write === 'refused') return keptByAdmin(deps, ref, status);
  if (write === 'unchanged') return;
  deps.logger.info({ tenantId: ref.tenantId, channelId: ref.channelId, status, reason }, 'WhatsApp channel status changed');
  await announce(deps, ref, { status, ...(reason && { reason }) });
}

function keptByAdmin(deps: StatusDeps, ref: SessionRef, wanted: ChannelStatus): void {
  deps.logger.info({ tenantId: ref.tenantId, channelId: ref.channelId, wanted }, 'WhatsApp channel status left as an admin set it; the next scan lets the number go');
}

async function announce(deps: StatusDeps, ref: SessionRef, data: Record<string, unknown>): Promise<void> {
  try {
    await deps.eventBus.publish({ type: 'channel.pairing', tenantId: ref.tenantId, audience: { roles: ['admin'] }, data: { channelId: ref.channelId, ...data } });
  } catch (err) {
    // Pub/sub is a notification; the route reads Postgres.
    deps.logger.warn({ err, tenantId: ref.tenantId, channelId: ref.channelId }, 'could not publish channel.pairing');
  }
}
