import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
// @ts-expect-error plain JavaScript of the project's own script (scripts/dovecot.mjs)
import { ensureDovecot as ensureDovecotScript } from '../../../../scripts/dovecot.mjs';

export interface Dovecot {
  host: string;
  port: number;
  root: string;
  config: string;
  addUser(user: string, password: string): void;
  deliver(user: string, raw: string | Buffer): void;
  stop(): void;
}

/** The real Dovecot of scripts/dovecot.mjs: installed (apt) and started when missing, shared by every test file. */
export function ensureDovecot(): Promise<Dovecot> {
  return ensureDovecotScript() as Promise<Dovecot>;
}

/** A fresh mailbox user on Dovecot, so each test owns its mail. */
export function newMailbox(dovecot: Dovecot, domain = 'toko.test'): { address: string; password: string } {
  const address = `cs-${randomUUID().slice(0, 8)}@${domain}`;
  const password = `pw-${randomUUID().slice(0, 8)}`;
  dovecot.addUser(address, password);
  return { address, password };
}

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  auth?: string;
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * A local SMTP server (the `smtp-server` package): records every mail it takes and hands mail for a Dovecot user
 * to Dovecot's delivery agent, as an MTA would. Optionally requires a login; `refuseNext(code)` answers the next
 * mail with that SMTP code.
 */
export async function startSmtpServer(dovecot: Dovecot, options: { login?: { user: string; pass: string } } = {}) {
  const received: ReceivedMail[] = [];
  let refusal: { code: number; message: string } | undefined;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.login,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusal) {
          const err = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
          refusal = undefined;
          return callback(err);
        }
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        void simpleParser(raw).then((parsed) => {
          received.push({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to }, ...(session.user ? { auth: String(session.user) } : {}), raw, parsed });
          try {
            for (const rcpt of to) if (rcpt.endsWith('@toko.test')) dovecot.deliver(rcpt, raw);
            callback();
          } catch (err) {
            callback(err as Error);
          }
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    received,
    refuseNext(code: number, message: string) {
      refusal = { code, message };
    },
    /** Sends a mail as a customer's mail client would (nodemailer), through this server. */
    async send(mail: Parameters<ReturnType<typeof createTransport>['sendMail']>[0]) {
      const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...(options.login ? { auth: options.login } : {}) });
      try {
        return await transport.sendMail(mail);
      } finally {
        transport.close();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;
