/** Tables of the WhatsApp (issue 7): Baileys auth state and the Cloud API service window. Part of `DB` in ../schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WhatsappSchema {}
