import { Type, type Static } from '@sinclair/typebox';

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const User = Type.String({ minLength: 1, maxLength: 320 });
const Pass = Type.String({ minLength: 1, maxLength: 1024 });

/**
 * Config of an `email` channel as an admin sends it (api-contract.md §Channel types): the address customers write to,
 * the IMAP mailbox Sapa watches (IDLE) and the SMTP server replies leave by. `secure` is implicit TLS (993/465); false
 * upgrades with STARTTLS when the server offers it. Both passwords are stored sealed, never in `channels.config`.
 */
export const EmailChannelConfig = Type.Object(
  {
    address: Type.String({ format: 'email', maxLength: 320 }),
    imap: Type.Object(
      { host: Host, port: Port, secure: Type.Boolean(), user: User, pass: Pass, mailbox: Type.Optional(Type.String({ minLength: 1, maxLength: 255, default: 'INBOX' })) },
      { additionalProperties: false },
    ),
    smtp: Type.Object({ host: Host, port: Port, secure: Type.Boolean(), user: Type.Optional(User), pass: Type.Optional(Pass) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type EmailChannelConfig = Static<typeof EmailChannelConfig>;

/** What an email channel keeps readable in `channels.config` (no passwords). */
export interface StoredEmailConfig {
  address: string;
  imap: { host: string; port: number; secure: boolean; user: string; mailbox: string };
  smtp: { host: string; port: number; secure: boolean; user?: string };
}

/** What an email channel keeps sealed in `channels.secrets_enc`. */
export interface EmailChannelSecrets {
  imapPass: string;
  smtpPass?: string;
}
