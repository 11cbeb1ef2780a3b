/** Tables of the voice channel (issue 8 item 3): call records and callback tasks. Part of `DB` in ../schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VoiceSchema {}
