export { startEmail, type EmailDeps, type RunningEmail } from './start-email.js';
export { emailConfig, type EmailConfig } from './config.js';
export { readMail, MalformedMail, type ReadMail } from './mail/read-mail.js';
export { composeReply, type ComposedReply } from './outbound/compose-reply.js';
