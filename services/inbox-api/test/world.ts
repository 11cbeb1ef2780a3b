import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { updateContact } from '@sapa/db/queries/contacts';
import { publishPlaybooks } from '@sapa/db/queries/playbooks';
import { createTicket } from '@sapa/db/queries/tickets';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { demoPlaybooks } from './demo-playbooks.js';
import { seedConversation, seedFailedDelivery } from './seed.js';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';

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
  /** A fresh open item of the inbound quarantine (a mail that could not be read). */
  quarantined(): Promise<string>;
  /** Publishes the demo withdrawal playbook (version 1, once) and answers its key. */
  withdrawalPlaybook(): Promise<string>;
  /** Publishes a demo playbook (version 1, once) and answers its key. */
  playbook(key: string): Promise<string>;
  /** The contact of a fresh agent1 conversation. */
  agent1Contact(): Promise<string>;
  /** A fresh ticket agent1 opened on a fresh conversation (a withdrawal unless named): open, nothing checked, no fields. */
  openTicket(playbookKey?: string): Promise<string>;
  /** An open withdrawal ticket whose gate and required fields hold: agent1 may dispatch it to tier2. */
  readyTicket(): Promise<string>;
  /** A ready ticket already dispatched to tier2. */
  tier2Ticket(): Promise<string>;
}

/** The withdrawal's fields, filled in; the holder name is the registered name of READY_CONTACT_NAME. */
export const READY_FIELDS = {
  agent_id: 'AG-1001',
  amount: 250_000,
  reason: 'Tutup usaha',
  bank_name: 'BCA',
  account_number: '1234567890',
  account_holder_name: 'budi  SANTOSO',
};
export const READY_CONTACT_NAME = 'Budi Santoso';

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
    withdrawalPlaybook: () => world.playbook('account.balance_withdrawal'),
    async playbook(key) {
      const playbook = demoPlaybooks().find((p) => p.key === key)!;
      await publishPlaybooks(db, tenant.id, [playbook], null);
      return playbook.key;
    },
    async agent1Contact() {
      const conversationId = await world.agent1Conversation();
      const row = await db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
      return row.contact_id;
    },
    async openTicket(key = 'account.balance_withdrawal') {
      const playbookKey = await world.playbook(key);
      const conversationId = await world.agent1Conversation();
      const conv = await db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
      const ticket = await createTicket(db, tenant.id, {
        conversationId,
        contactId: conv.contact_id,
        playbookKey,
        playbookVersion: 1,
        fields: {},
        createdBy: user('agent1').id,
        actorRoles: ['agent'],
        year: new Date().getUTCFullYear(),
      });
      return ticket.id;
    },
    async readyTicket() {
      const id = await world.openTicket();
      const ticket = await db.selectFrom('tickets').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
      await updateContact(db, tenant.id, ticket.contact_id!, { attributes: { registeredName: READY_CONTACT_NAME } });
      await db
        .updateTable('tickets')
        .set({ checked: ['full_name', 'final_balance', 'last_transaction_1'], fields: JSON.stringify(READY_FIELDS) })
        .where('id', '=', id)
        .execute();
      return id;
    },
    async tier2Ticket() {
      const id = await world.readyTicket();
      await db.updateTable('tickets').set({ status: 'dispatched', team: 'tier2' }).where('id', '=', id).execute();
      return id;
    },
    quarantined() {
      return quarantineInbound(db, { tenantId: tenant.id, channelId: channel.id, source: 'email', reason: 'mail could not be parsed', payload: 'From: x\r\n\r\n\u0000', details: { uid: 7 } });
    },
    async failedDelivery() {
      const conversationId = await world.agent1Conversation();
      const { deliveryId } = await seedFailedDelivery(db, tenant.id, { conversationId, channelId: channel.id, authorId: user('agent1').id });
      return deliveryId;
    },
  };
  return world;
}
