import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { publishPlaybooks } from '@sapa/db/queries/playbooks';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { demoPlaybooks } from './demo-playbooks.js';
import { seedConversation, seedFailedDelivery } from './seed.js';

/** The default users of createTenant(), in the order rule tables list them. */
export const USERS = ['admin', 'lead', 'agent1', 'agent2', 'qc', 'tier2'] as const;
export type UserName = (typeof USERS)[number];

export interface World {
  tenant: TestTenant;
  channelId: string;
  token(user: UserName): string;
  userId(user: UserName): string;
  /** A fresh conversation of team cs assigned to agent1 (each call a new one, so rows of a table never interfere). */
  agent1Conversation(): Promise<string>;
  queuedConversation(teamKey?: string): Promise<string>;
  failedDelivery(): Promise<string>;
  /** Publishes the demo withdrawal playbook (version 1, once) and answers its key. */
  withdrawalPlaybook(): Promise<string>;
  /** The contact of a fresh agent1 conversation. */
  agent1Contact(): Promise<string>;
}

/** A tenant with an api channel on team cs, and makers of the rows route tests act on. */
export async function createWorld(db: Kysely<DB>): Promise<World> {
  const tenant = await createTenant(db);
  const channel = await createApiChannel(db, tenant.id, { teamId: tenant.teamId });
  const user = (name: UserName) => {
    const u = tenant.users[name];
    if (!u) throw new Error(`no user ${name}`);
    return u;
  };
  const world: World = {
    tenant,
    channelId: channel.id,
    token: (name) => user(name).token,
    userId: (name) => user(name).id,
    agent1Conversation: () =>
      seedConversation(db, tenant.id, { channelId: channel.id, teamId: tenant.teamId, assigneeId: user('agent1').id, messages: ['Halo'] }),
    queuedConversation: (teamKey = 'cs') => seedConversation(db, tenant.id, { channelId: channel.id, teamId: tenant.teams[teamKey]!, messages: ['Halo'] }),
    async withdrawalPlaybook() {
      const playbook = demoPlaybooks().find((p) => p.key === 'account.balance_withdrawal')!;
      await publishPlaybooks(db, tenant.id, [playbook], null);
      return playbook.key;
    },
    async agent1Contact() {
      const conversationId = await world.agent1Conversation();
      const row = await db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
      return row.contact_id;
    },
    async failedDelivery() {
      const conversationId = await world.agent1Conversation();
      const { deliveryId } = await seedFailedDelivery(db, tenant.id, { conversationId, channelId: channel.id, authorId: user('agent1').id });
      return deliveryId;
    },
  };
  return world;
}
