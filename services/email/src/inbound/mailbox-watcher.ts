import { ImapFlow } from 'imapflow';
import type { Db } from '@sapa/db/queries/db-handle';
import { loadMailboxCheckpoint, saveMailboxCheckpoint } from '@sapa/db/queries/email';
import type { Logger } from '@sapa/service-kit';
import type { MailboxChannel } from './mailbox-context.js';
import { planSync } from './sync-plan.js';
import { quarantineMail, takeMail, type TakeMailDeps, type TakeOutcome } from './take-mail.js';

export interface WatcherDeps extends TakeMailDeps {
  db: Db;
  logger: Logger;
  /** First wait before reconnecting after a dropped connection; doubles up to `maxReconnectMs`. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** A mail larger than this is quarantined by its headers instead of read (default 50 MiB). */
  maxMailBytes?: number;
  /** Told of each mail taken (tests and metrics). */
  onMail?: (event: { channelId: string; uid: number; outcome: TakeOutcome }) => void;
}

export interface MailboxWatcher {
  /** Closes the IMAP connection and waits for the mail in hand to be finished. */
  stop(): Promise<void>;
}

/**
 * One mailbox in IDLE (imapflow idles by itself between commands): catches up from the checkpoint on every
 * (re)connect and on every new-mail notice, one mail at a time in UID order, moving the checkpoint after each mail
 * is durable. A dropped connection or a failed step reconnects with backoff; the checkpoint makes the catch-up
 * after it fetch nothing twice and miss nothing.
 */
export function watchMailbox(deps: WatcherDeps, channel: MailboxChannel): MailboxWatcher {
  const log = deps.logger.child({ tenantId: channel.tenantId, channelId: channel.channelId });
  const baseDelay = deps.reconnectMs ?? 1000;
  let stopped = false;
  let client: ImapFlow | undefined;
  let wake: (() => void) | undefined;

  const session = async (): Promise<void> => {
    const { imap } = channel.config;
    const c = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: channel.imapPass },
      logger: false,
      // Re-issue IDLE every few minutes: some servers and NATs drop connections that stay silent longer.
      maxIdleTime: 4 * 60_000,
      // IDLE soon after our last command (imapflow's default waits 15 s, and new mail meanwhile goes unnoticed).
      autoIdleDelay: 500,
    });
    client = c;
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.on('error', (err: Error) => log.warn({ err }, 'imap connection error'));
    await c.connect();
    const folder = await c.mailboxOpen(imap.mailbox);
    const uidValidity = Number(folder.uidValidity);
    log.info({ mailbox: imap.mailbox, uidValidity }, 'mailbox open, idling');

    let pending = false;
    let failure: unknown;
    let running: Promise<void> = Promise.resolve();
    const catchUp = async (): Promise<void> => {
      while (pending && !stopped && c.usable) {
        pending = false;
        await syncOnce(c, uidValidity);
      }
    };
    // A failed catch-up (Postgres or Redis away) ends the session: the reconnect catches up again from the checkpoint.
    const trigger = () => {
      pending = true;
      running = running.then(catchUp).catch((err: unknown) => {
        failure = err;
        c.close();
      });
    };
    c.on('exists', trigger);
    // The server renumbered the folder under us: every UID we hold is void; reconnect and plan again.
    c.on('mailboxOpen', (mb: { uidValidity: bigint }) => {
      if (Number(mb.uidValidity) !== uidValidity) c.close();
    });
    trigger();
    await closed;
    await running;
    if (failure) throw failure;
  };

  const syncOnce = async (c: ImapFlow, uidValidity: number): Promise<void> => {
    const mailbox = channel.config.imap.mailbox;
    const checkpoint = await loadMailboxCheckpoint(deps.db, channel.tenantId, channel.channelId);
    const plan = planSync(checkpoint, { uidValidity, uidNext: Number(c.mailbox && c.mailbox.uidNext) }, channel.createdAt);
    const found = plan.kind === 'continue' ? await c.search({ uid: `${plan.afterUid + 1}:*` }, { uid: true }) : await c.search({ since: plan.since }, { uid: true });
    // `n:*` always matches the highest UID, even one below n.
    const uids = (found || []).filter((uid) => plan.kind !== 'continue' || uid > plan.afterUid).sort((a, b) => a - b);
    if (plan.kind === 'rescan') log.warn({ reason: plan.reason, since: plan.since, mails: uids.length }, 'rescanning mailbox; mails seen before are recognised by Message-ID');
    for (const uid of uids) {
      if (stopped) return;
      const outcome = await takeOne(c, uid, uidValidity);
      await saveMailboxCheckpoint(deps.db, channel.tenantId, channel.channelId, { mailbox, uidValidity, lastUid: uid });
      deps.onMail?.({ channelId: channel.channelId, uid, outcome });
    }
    if (plan.kind === 'rescan' || !checkpoint) {
      // Nothing older than this is Sapa's work any more: the checkpoint starts at the folder's end under this UIDVALIDITY.
      const end = Math.max(uids.at(-1) ?? 0, Number(c.mailbox && c.mailbox.uidNext) - 1, 0);
      await saveMailboxCheckpoint(deps.db, channel.tenantId, channel.channelId, { mailbox, uidValidity, lastUid: end });
    }
  };

  const takeOne = async (c: ImapFlow, uid: number, uidValidity: number): Promise<TakeOutcome> => {
    const origin = { mailbox: channel.config.imap.mailbox, uidValidity, uid };
    const max = deps.maxMailBytes ?? 50 * 1024 * 1024;
    const head = await c.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
    if (!head) return 'quarantined'; // expunged meanwhile: nothing left to take
    if ((head.size ?? 0) > max) {
      const headers = await c.fetchOne(String(uid), { uid: true, headers: true }, { uid: true });
      const note = Buffer.concat([Buffer.from(`X-Sapa-Refused: mail of ${head.size} bytes is over ${max}; headers only\r\n`), (headers && headers.headers) || Buffer.alloc(0)]);
      await quarantineMail(deps, channel, origin, note, `the mail is ${head.size} bytes, over the ${max} this service reads`);
      return 'quarantined';
    }
    const msg = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!msg || !msg.source) return 'quarantined';
    return takeMail(deps, channel, origin, msg.source);
  };

  const loop = (async () => {
    let delay = baseDelay;
    while (!stopped) {
      const startedAt = Date.now();
      try {
        await session();
        if (!stopped) log.warn('imap connection closed; reconnecting');
      } catch (err) {
        if (!stopped) log.warn({ err }, 'imap session failed; reconnecting');
      } finally {
        client?.close();
      }
      if (stopped) break;
      // A session that lived a while was healthy: start the backoff over.
      delay = Date.now() - startedAt > 30_000 ? baseDelay : Math.min(delay * 2, deps.maxReconnectMs ?? 30_000);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await client?.logout().catch(() => client?.close());
      await loop;
    },
  };
}
