import type { DB, Kysely } from '@sapa/db';
import type { OpenedChannel } from '../../src/channels/channel-adapter.js';
import { openChannel } from '../../src/outbound/open-channel.js';
import { testSecretBox } from './test-stores.js';

export interface ChannelRowSpec {
  type: string;
  name?: string;
  config?: Record<string, unknown>;
  /** Sealed with the test run's key, as the inbox API stores them; none: `secrets_enc` null. */
  secrets?: Record<string, string>;
}

/** A channel row as the inbox API writes one (no team); answers its id. */
export async function insertChannel(db: Kysely<DB>, tenantId: string, spec: ChannelRowSpec): Promise<string> {
  const row = await db
    .insertInto('channels')
    .values({
      tenant_id: tenantId,
      type: spec.type,
      name: spec.name ?? spec.type,
      team_id: null,
      config: JSON.stringify(spec.config ?? {}),
      secrets_enc: spec.secrets ? testSecretBox.seal(spec.secrets) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A channel read back and opened as an adapter gets it for a send or a download. */
export async function openChannelRow(db: Kysely<DB>, id: string): Promise<OpenedChannel> {
  return openChannel(await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), testSecretBox);
}
