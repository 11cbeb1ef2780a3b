import type { Logger } from 'pino';
import { planShare } from './fair-share.js';
import { createLeaseStore, DEFAULT_LEASE_TTL_MS, type Lease, type LeaseOptions, type LeaseStore } from './lease-store.js';
import { createReplicaPresence } from './replica-presence.js';

/** A key some replica should hold now (a channel id), with what starting its session needs. */
export interface WantedKey<T> {
  key: string;
  item: T;
  /** What the session was started with (a digest of the channel's settings): when it changes, the session restarts. */
  version?: string;
}

/** Why the supervisor stops a session. */
export type SupervisorStop =
  /** The key is no longer listed: the channel was deleted, disabled or unlinked. */
  | 'removed'
  /** Its version changed: stopped now, started again with the new settings on the next scan. */
  | 'changed'
  /** This replica holds more than its fair share: another one takes the key. */
  | 'handed_over'
  /** The renewal failed: another replica may hold the key already, so the lease is not released. */
  | 'lease_lost'
  | 'shutdown';

/** How a session that ended on its own (a logout, a ban) leaves its lease: released for another replica, or lost. */
export type SessionEnd = 'release' | 'lost';

export interface SessionSupervisorOptions<T, S> {
  /** What is supervised, in logs: "WhatsApp number", "mailbox", "AMI channel". */
  name: string;
  /** The leases, one per key; this replica's presence uses the same Redis, prefix, namespace, holder id and TTL. */
  lease: LeaseOptions;
  logger: Logger;
  /** Every key some replica should hold now, in the order to take them (the channels of the type that are active). */
  list(): Promise<WantedKey<T>[]>;
  /**
   * Starts the session of a key whose lease this replica has just taken; undefined when it cannot run now (the lease
   * is released and the key tried again on a later scan). A session that stops on its own calls `ended`.
   */
  start(wanted: WantedKey<T>, lease: Lease, ended: (how: SessionEnd) => void): Promise<S | undefined>;
  /** Stops a session; resolves once it no longer acts on the key. The lease is released after, unless it was lost. */
  stop(session: S, why: SupervisorStop): Promise<void>;
  /** How often the keys are listed, the replica's share worked out, free keys taken (default 5 s). */
  scanIntervalMs?: number;
  /** How often held leases are renewed and presence told (default a third of the lease TTL). */
  renewIntervalMs?: number;
  /** Most sessions this replica holds, whatever its share (default no limit). */
  maxSessions?: number;
  /** Most sessions handed over per scan when above the fair share (default 2). */
  handOverStep?: number;
}

export interface SessionSupervisor<S> {
  /** The leases of the held keys (a session checks `holds` before it acts on the outside world). */
  readonly leases: LeaseStore;
  /** The running session of a key this replica holds. */
  sessionOf(key: string): S | undefined;
  /** The keys this replica holds now. */
  held(): string[];
  /** One scan now (also runs on its timer); scans never overlap. */
  scan(): Promise<void>;
  /** One renewal round now (also runs on its timer, apart from scans so a slow scan cannot starve it). */
  renew(): Promise<void>;
  /** Stops every session and releases its lease, so other replicas take the keys at once. */
  close(): Promise<void>;
}

interface Held<S> {
  key: string;
  lease: Lease;
  version: string | undefined;
  /** Undefined while starting. */
  session?: S;
  /**
   * Why it was let go, once it was (`ended`: the session ended itself). A session let go while still starting is
   * stopped as soon as its start returns.
   */
  gone?: SupervisorStop | 'ended';
}

/**
 * Holds long-lived sessions (a WhatsApp number, a mailbox's IDLE connection, a PBX's AMI connection) spread over the
 * replicas of a service, one holder per key through a fenced lease (lease-store.ts; ARCHITECTURE.md §Scaling). Each
 * scan stops the sessions whose key is gone or changed, works out this replica's fair share from the live replicas'
 * presence (fair-share.ts), hands a few sessions over when above it, and takes free keys up to it. A key left unheld
 * on two scans in a row is taken by any replica with room, so a key no replica below its share took is not left alone.
 * Renewals drop a session whose lease was lost (this replica stalled past the TTL): another replica holds it now.
 */
export function createSessionSupervisor<T, S>(options: SessionSupervisorOptions<T, S>): SessionSupervisor<S> {
  const leases = createLeaseStore(options.lease);
  const ttlMs = options.lease.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const presence = createReplicaPresence({ ...options.lease, ttlMs });
  const log = options.logger.child({ supervisor: options.name });
  const held = new Map<string, Held<S>>();
  /** Free keys this replica left to others, with how many scans in a row each was seen unheld. */
  const orphanScans = new Map<string, number>();
  const releasing = new Set<Promise<void>>();
  let closing = false;

  const full = () => options.maxSessions !== undefined && held.size >= options.maxSessions;
  const load = () => ({ held: held.size, ...(options.maxSessions !== undefined && { max: options.maxSessions }) });

  const release = (entry: Held<S>): Promise<void> => {
    const done = leases
      .release(entry.lease)
      .catch((err: unknown) => log.warn({ err, key: entry.key }, 'could not release a lease'))
      .finally(() => releasing.delete(done));
    releasing.add(done);
    return done;
  };

  /** Stops a started session and gives its lease back (unless lost). */
  const finish = async (entry: Held<S>, why: SupervisorStop): Promise<void> => {
    try {
      await options.stop(entry.session!, why);
    } catch (err) {
      log.error({ err, key: entry.key, why }, `${options.name} did not stop cleanly`);
    }
    if (why !== 'lease_lost') await release(entry);
  };

  const letGo = async (entry: Held<S>, why: SupervisorStop): Promise<void> => {
    if (held.get(entry.key) !== entry) return; // let go already, by the other loop or by the session itself
    held.delete(entry.key);
    entry.gone = why;
    log.info({ key: entry.key, fence: entry.lease.token, why }, `${options.name} let go`);
    if (entry.session !== undefined) await finish(entry, why);
  };

  const endedOnItsOwn = (entry: Held<S>, how: SessionEnd): void => {
    if (held.get(entry.key) !== entry) return;
    held.delete(entry.key);
    entry.gone = 'ended';
    if (how === 'release') void release(entry);
  };

  const take = async (want: WantedKey<T>): Promise<void> => {
    orphanScans.delete(want.key);
    const lease = await leases.acquire(want.key);
    if (!lease) return;
    const entry: Held<S> = { key: want.key, lease, version: want.version };
    held.set(want.key, entry);
    log.info({ key: want.key, fence: lease.token }, `${options.name} taken`);
    let session: S | undefined;
    try {
      session = await options.start(want, lease, (how) => endedOnItsOwn(entry, how));
    } catch (err) {
      log.error({ err, key: want.key }, `${options.name} did not start`);
    }
    if (session !== undefined) {
      entry.session = session;
      // Let go while it was starting (lost, removed, shutdown): stop it now that there is something to stop.
      if (entry.gone !== undefined && entry.gone !== 'ended') await finish(entry, entry.gone);
      return;
    }
    if (entry.gone === undefined) {
      held.delete(want.key);
      await release(entry);
    } else if (entry.gone !== 'ended' && entry.gone !== 'lease_lost') await release(entry);
  };

  /** Keys this replica left to others because it is at its share: taken once unheld on two scans in a row. */
  const takeOrphans = async (candidates: WantedKey<T>[]): Promise<void> => {
    if (candidates.length === 0) return;
    const leased = await leases.leased(candidates.map((w) => w.key));
    for (const want of candidates) {
      if (leased.has(want.key)) {
        orphanScans.delete(want.key);
        continue;
      }
      const scans = (orphanScans.get(want.key) ?? 0) + 1;
      orphanScans.set(want.key, scans);
      if (scans >= 2 && !closing && !full()) await take(want);
    }
  };

  const scanOnce = async (): Promise<void> => {
    if (closing) return;
    const wanted = await options.list();
    const byKey = new Map(wanted.map((w) => [w.key, w]));
    for (const entry of [...held.values()]) {
      const want = byKey.get(entry.key);
      if (!want) await letGo(entry, 'removed');
      else if (want.version !== entry.version) await letGo(entry, 'changed');
    }
    for (const key of [...orphanScans.keys()]) if (!byKey.has(key)) orphanScans.delete(key);
    if (closing) return;

    const replicas = await presence.beat(load());
    const plan = planShare({
      self: options.lease.holderId,
      wanted: wanted.length,
      held: held.size,
      replicas,
      ...(options.maxSessions !== undefined && { maxSessions: options.maxSessions }),
      handOverStep: options.handOverStep ?? 2,
    });
    // The newest first: the longest-held sessions stay where they are.
    const handedOver = [...held.values()].reverse().slice(0, plan.handOver);
    for (const entry of handedOver) await letGo(entry, 'handed_over');
    // A key just handed over is not counted unheld on this scan: the replicas below their share get two scans for it.
    const justHandedOver = new Set(handedOver.map((e) => e.key));

    const beyondShare: WantedKey<T>[] = [];
    for (const want of wanted) {
      if (closing || full()) return;
      if (held.has(want.key) || justHandedOver.has(want.key)) continue;
      if (held.size < plan.share) await take(want);
      else beyondShare.push(want);
    }
    await takeOrphans(beyondShare);
  };

  const renewOnce = async (): Promise<void> => {
    if (closing) return;
    await presence.beat(load()).catch((err: unknown) => log.warn({ err }, 'could not tell this replica is alive'));
    for (const entry of [...held.values()]) {
      if (await leases.renew(entry.lease).catch(() => false)) continue;
      log.warn({ key: entry.key, fence: entry.lease.token }, `${options.name} lease lost`);
      await letGo(entry, 'lease_lost');
    }
  };

  const scan = serial(scanOnce, (err) => log.error({ err }, `${options.name} scan failed`));
  const renew = serial(renewOnce, (err) => log.error({ err }, `${options.name} lease renewal failed`));
  const scanTimer = setInterval(() => void scan(), options.scanIntervalMs ?? 5000);
  const renewTimer = setInterval(() => void renew(), options.renewIntervalMs ?? Math.max(100, Math.floor(ttlMs / 3)));
  scanTimer.unref();
  renewTimer.unref();
  void scan();

  return {
    leases,
    sessionOf: (key) => held.get(key)?.session,
    held: () => [...held.keys()],
    scan,
    renew,
    async close() {
      closing = true;
      clearInterval(scanTimer);
      clearInterval(renewTimer);
      await Promise.all([scan.idle(), renew.idle()]);
      // Leave first: the other replicas' next scans count one replica fewer and take the released keys at once.
      await presence.leave().catch((err: unknown) => log.warn({ err }, 'could not leave the replica presence'));
      await Promise.all([...held.values()].map((entry) => letGo(entry, 'shutdown')));
      await Promise.all([...releasing]);
    },
  };
}

/** Runs `run` one call at a time; calls made while one is already waiting to run share it. */
function serial(run: () => Promise<void>, onError: (err: unknown) => void): (() => Promise<void>) & { idle(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  const call = () => {
    waiting ??= last
      .then(() => {
        waiting = undefined;
        return run();
      })
      .catch(onError);
    last = waiting;
    return waiting;
  };
  return Object.assign(call, { idle: () => last });
}
