import { Type, type Static } from '@sinclair/typebox';

// api-contract.md §Playbooks and tickets: the playbook routes and the contact profile. The playbook itself is
// `Playbook` of @sapa/handling (which builds on this package, so its schema cannot be imported here): bodies are
// described loosely and `validatePlaybooks` names every bad field by its path.

/** A playbook key: `<group>.<name>`, e.g. `account.balance_withdrawal`. */
export const PlaybookKey = Type.String({ pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$', maxLength: 100 });

export const PlaybookParams = Type.Object({ key: PlaybookKey });

/** `?version=N`: an older version (a ticket reads the version it started with). */
export const PlaybookQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

/** One line of `GET /v1/playbooks`: the newest version of a key. */
export const PlaybookSummary = Type.Object({
  key: PlaybookKey,
  group: Type.String(),
  title: Type.String(),
  version: Type.Integer({ minimum: 1 }),
});
export type PlaybookSummary = Static<typeof PlaybookSummary>;

export const PlaybookList = Type.Object({ items: Type.Array(PlaybookSummary) });
export type PlaybookList = Static<typeof PlaybookList>;

/** A whole playbook as published (`Playbook` of @sapa/handling), `version` the published version. */
export const PlaybookDocument = Type.Object(
  { key: PlaybookKey, group: Type.String(), title: Type.String(), version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: true, description: 'the whole playbook (fields, verification, steps, outcomes, sla, gates) as the Playbook schema of @sapa/handling' },
);
export type PlaybookDocument = Static<typeof PlaybookDocument>;

/** `PUT /v1/playbooks`: each item a whole Playbook; checked by `validatePlaybooks` (400 `invalid_playbooks`). */
export const PublishPlaybooksBody = Type.Object(
  {
    items: Type.Array(Type.Object({}, { additionalProperties: true, description: 'a Playbook' })),
  },
  { additionalProperties: true },
);

export const PublishPlaybooksResult = Type.Object({
  /** Every playbook of the tenant after the publish, newest versions. */
  items: Type.Array(PlaybookSummary),
  /** The playbooks this request gave a new version (unchanged ones are not listed). */
  published: Type.Array(PlaybookSummary),
});
export type PublishPlaybooksResult = Static<typeof PublishPlaybooksResult>;

/** The profile attributes verification compares (CONTACT_ATTRIBUTES of @sapa/handling). */
export const CONTACT_PROFILE_ATTRIBUTES = ['registeredName', 'agentId', 'registeredPhone', 'uplineId'] as const;

const attributeText = Type.String({ minLength: 1, maxLength: 200 });
export const ContactAttributes = Type.Object(
  {
    registeredName: Type.Optional(attributeText),
    agentId: Type.Optional(attributeText),
    registeredPhone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'normalised to E.164 (default region ID)' })),
    uplineId: Type.Optional(attributeText),
  },
  { additionalProperties: false },
);
export type ContactAttributes = Static<typeof ContactAttributes>;

/** `PATCH /v1/contacts/{id}`: given attributes are merged over the stored ones; `null` removes one. */
export const ContactPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    attributes: Type.Optional(
      Type.Object(
        {
          registeredName: Type.Optional(Type.Union([attributeText, Type.Null()])),
          agentId: Type.Optional(Type.Union([attributeText, Type.Null()])),
          registeredPhone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
          uplineId: Type.Optional(Type.Union([attributeText, Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ContactPatchBody = Static<typeof ContactPatchBody>;

export const ContactDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  attributes: ContactAttributes,
  identities: Type.Array(Type.Object({ channelId: Type.String({ format: 'uuid' }), externalId: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type ContactDto = Static<typeof ContactDto>;
