/**
 * A message's id as Sapa stores it (messages.external_id), the chat first: message_id is unique only inside its chat.
 * The bot's own messages are stored the same way (send.ts), so a customer's reply to one finds it.
 */
export function messageIdIn(chatId: number | string, messageId: number): string {
  return `${chatId}/${messageId}`;
}

/**
 * The Bot API message_id behind a stored id of this chat (`<chat>/<message_id>`, or an edit's
 * `<chat>/<message_id>/edit/<date>`: the same message), or undefined for an id of another chat or another form.
 */
export function messageIdOf(externalId: string, chatId: number | string): number | undefined {
  const [chat, id] = externalId.split('/');
  if (chat !== String(chatId) || id === undefined || !/^\d+$/.test(id)) return undefined;
  const messageId = Number(id);
  return Number.isSafeInteger(messageId) ? messageId : undefined;
}
