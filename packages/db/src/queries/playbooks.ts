import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { Playbook } from '@sapa/handling';
import type { Db } from './db-handle.js';

/** One line of the tenant's playbook list: the newest version of a key. */
export interface PlaybookSummary {
  key: string;
  group: string;
  title: string;
  version: number;
}

/**
 * The playbooks of a tenant (api-contract.md §Playbooks and tickets), versioned: the newest version of a key is
 * the one in force, older ones stay for the tickets that started on them. `body` holds the validated playbook
 * without its `version`, which is the row's column.
 */
export function listPlaybooks(db: Db, tenantId: string): Promise<PlaybookSummary[]> {
  return db
    .selectFrom('playbook_versions')
    .select(['key', 'group', 'title', 'version'])
    .distinctOn('key')
    .where('tenant_id', '=', tenantId)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
}

/** The newest version of `key`, or exactly `version`; undefined when the tenant has no such playbook (version). */
export async function findPlaybook(db: Db, tenantId: string, key: string, version?: number): Promise<Playbook | undefined> {
  let query = db.selectFrom('playbook_versions').select(['body', 'version']).where('tenant_id', '=', tenantId).where('key', '=', key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row ? ({ ...row.body, version: row.version } as Playbook) : undefined;
}

export interface PublishedPlaybooks {
  /** Every playbook of the tenant afterwards. */
  items: PlaybookSummary[];
  /** The ones this call gave a new version. */
  published: PlaybookSummary[];
}

/**
 * Publishes `items` (validated by the caller): each playbook whose body differs from its newest version gets
 * version max+1 (a new key version 1); an unchanged one keeps its version, and a key absent from `items` stays
 * as it is (publishing never deletes: tickets point at versions). Two publishers of one tenant take turns.
 */
export function publishPlaybooks(db: Db, tenantId: string, items: Playbook[], publishedBy: string | null): Promise<PublishedPlaybooks> {
  return inTransaction(db, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`sapa.playbooks:${tenantId}`}))`.execute(trx);
    const published: PlaybookSummary[] = [];
    for (const item of items) {
      const { version: _ignored, ...body } = item;
      const newest = await trx
        .selectFrom('playbook_versions')
        .select(['body', 'version'])
        .where('tenant_id', '=', tenantId)
        .where('key', '=', item.key)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      // Key order does not matter (jsonb reorders keys); a round trip through JSON is what would be stored.
      if (newest && isDeepStrictEqual(newest.body, JSON.parse(JSON.stringify(body)))) continue;
      const version = (newest?.version ?? 0) + 1;
      await trx
        .insertInto('playbook_versions')
        .values({ tenant_id: tenantId, key: item.key, version, group: item.group, title: item.title, body: JSON.stringify(body), published_by: publishedBy })
        .execute();
      published.push({ key: item.key, group: item.group, title: item.title, version });
    }
    return { items: await listPlaybooks(trx, tenantId), published };
  });
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
