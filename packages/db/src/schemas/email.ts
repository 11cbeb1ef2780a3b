/** Tables of the email channel (issue 8 item 1): mailbox checkpoints, message threading ids, bounces. Part of `DB` in ../schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EmailSchema {}
