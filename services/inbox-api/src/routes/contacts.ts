import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ContactDto, ContactPatchBody, type ContactAttributes } from '@sapa/contracts';
import { phoneToE164 } from '@sapa/handling';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { findContact, updateContact, type ContactProfile } from '@sapa/db/queries/contacts';
import { requireRole } from '../auth/auth-plugin.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { ContactNotFound, InvalidPhone } from '../errors.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** Who may change a profile: whoever handles customers. QC reads and scores, and changes nothing. */
const EDITORS = ['admin', 'team_leader', 'agent', 'tier2', 'related_team'];

/**
 * A contact's profile (api-contract.md §Playbooks and tickets): the attributes verification compares the
 * customer's answers with (registered name, agent ID, registered phone, upline ID). Everyone of the tenant may
 * read it (Tier 2 and the related teams verify too, on tickets of conversations they never saw); every role but
 * QC may correct it. The values are personal data: they are never logged, and the audit log names only the keys.
 */
export const contactRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'A contact with its profile attributes and channel identities',
        description: 'Anyone of the tenant. An unknown id (or one of another tenant) is 404 `contact_not_found`.',
        params: IdParams,
        response: { 200: ContactDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const contact = await findContact(deps.db, request.principal.tenantId, request.params.id);
      if (!contact) throw ContactNotFound();
      return toDto(contact);
    },
  );

  app.patch(
    '/v1/contacts/:id',
    {
      onRequest: requireRole(...EDITORS),
      schema: {
        tags: ['contacts'],
        summary: "Change a contact's name or profile attributes",
        description:
          'Admins, team leaders, agents, Tier 2 and related teams; QC is 403. `attributes` are merged over the stored ones (`null` removes one); an unknown attribute is 400 `validation_failed`. ' +
          '`registeredPhone` is stored in E.164 (a number without a country code is read as Indonesian: 0812… → +62812…); a number that is not valid is 400 `invalid_phone`. Nothing changes on a 400. ' +
          'Audit-logged with the names of the changed attributes, never their values.',
        params: IdParams,
        body: ContactPatchBody,
        response: { 200: ContactDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const contactId = request.params.id;
      const { name, attributes } = request.body;
      const next: Record<string, string | null> = { ...attributes };
      if (typeof attributes?.registeredPhone === 'string') next.registeredPhone = toE164(attributes.registeredPhone);
      const changed = Object.keys(next);
      const contact = await deps.db.transaction().execute(async (trx) => {
        const updated = await updateContact(trx, tenantId, contactId, { ...(name !== undefined ? { name } : {}), attributes: next });
        if (updated) {
          await recordAudit(trx, tenantId, {
            actorId: userId,
            action: 'contact.updated',
            targetType: 'contact',
            targetId: contactId,
            details: { attributes: changed, name: name !== undefined },
          });
        }
        return updated;
      });
      if (!contact) throw ContactNotFound();
      request.log.info({ tenantId, contactId, changedKeys: changed, nameChanged: name !== undefined }, 'contact updated');
      return toDto(contact);
    },
  );
};

function toE164(input: string): string {
  const e164 = phoneToE164(input);
  if (!e164) throw InvalidPhone();
  return e164;
}

function toDto(contact: ContactProfile) {
  return { ...contact, attributes: contact.attributes as ContactAttributes, createdAt: contact.createdAt.toISOString(), updatedAt: contact.updatedAt.toISOString() };
}
