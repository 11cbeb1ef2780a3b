import { EmailChannelConfig, type EmailChannelSecrets, type StoredEmailConfig } from '@sapa/contracts';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<EmailChannelConfig>(EmailChannelConfig);

/**
 * An email mailbox (api-contract.md §Channel types): the IMAP and SMTP passwords are sealed; the rest stays readable.
 * Nothing to activate: the email service's next scan (EMAIL_SCAN_SECONDS) takes the mailbox's lease and starts IDLE.
 */
export const emailChannel: ChannelSetup = {
  prepare(config) {
    const { address, imap, smtp } = validate(config);
    const stored: StoredEmailConfig = {
      address: address.toLowerCase(),
      imap: { host: imap.host, port: imap.port, secure: imap.secure, user: imap.user, mailbox: imap.mailbox ?? 'INBOX' },
      smtp: { host: smtp.host, port: smtp.port, secure: smtp.secure, ...(smtp.user ? { user: smtp.user } : {}) },
    };
    const secrets: EmailChannelSecrets = { imapPass: imap.pass, ...(smtp.pass ? { smtpPass: smtp.pass } : {}) };
    return { config: { ...stored }, secrets: { ...secrets } };
  },
};
