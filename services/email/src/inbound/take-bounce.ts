import { recordBounce } from '@sapa/db/queries/email';
import { publishMessageUpdated } from '@sapa/gateway';
import type { ReadMail } from '../mail/read-mail.js';
import type { MailboxChannel } from './mailbox-context.js';
import type { TakeMailDeps } from './take-mail.js';

/**
 * A delivery status notification is the mail system talking about one of our replies, not the customer: a failure
 * marks that reply `failed` with the reason (its delivery joins the failed list admins replay from); a delay or a
 * success report, or one about a mail we did not send, is only logged. Never a customer message.
 */
export async function takeBounce(deps: TakeMailDeps, channel: MailboxChannel, mail: ReadMail): Promise<'bounce'> {
  const report = mail.report!;
  const log = { tenantId: channel.tenantId, channelId: channel.channelId, action: report.action, status: report.status };
  if (report.action !== 'failed' || !report.originalMessageId) {
    deps.logger.info(log, 'delivery report without a failure of ours; nothing to record');
    return 'bounce';
  }
  const bounced = await recordBounce(deps.db, channel.tenantId, channel.channelId, report.originalMessageId, {
    action: report.action,
    ...(report.status ? { status: report.status } : {}),
    ...(report.diagnostic ? { diagnostic: report.diagnostic } : {}),
    ...(report.recipient ? { recipient: report.recipient } : {}),
    reportMessageId: mail.messageId,
    at: new Date().toISOString(),
  });
  if (!bounced) {
    deps.logger.info(log, 'bounce of a mail this channel did not send');
    return 'bounce';
  }
  deps.logger.warn({ ...log, messageId: bounced.messageId, conversationId: bounced.conversation.id }, 'reply bounced');
  await publishMessageUpdated(deps.eventBus, deps.logger, { tenantId: channel.tenantId, messageId: bounced.messageId, conversation: bounced.conversation, status: 'failed' });
  return 'bounce';
}
