import { Type, type Static } from '@sinclair/typebox';

/** `201` of `POST /v1/attachments`: the stored file, to name in a reply's `attachments: [{id}]`. */
export const StoredAttachmentDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    /** Sniffed from the bytes where the format has a signature, else the declared type. */
    contentType: Type.String(),
    filename: Type.Optional(Type.String()),
    size: Type.Integer({ minimum: 0 }),
  },
  { $id: 'StoredAttachment' },
);
export type StoredAttachmentDto = Static<typeof StoredAttachmentDto>;

/** Query of a signed attachment link (`GET /v1/attachments/{id}/content`). */
export const SignedLinkQuery = Type.Object({
  expires: Type.Optional(Type.String({ maxLength: 16 })),
  signature: Type.Optional(Type.String({ maxLength: 128 })),
});
