/** Tables of the live chat (issue 8 item 2): visitors and their resume tokens. Part of `DB` in ../schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LivechatSchema {}
