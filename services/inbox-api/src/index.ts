export { buildInboxApi } from './app.js';
export { startInboxApi, type ListenOptions, type RunningInboxApi } from './start.js';
export type { InboxApiDeps, InboxApiOptions } from './deps.js';
export { InboxConfigSchema, loadInboxConfig, type InboxConfig } from './config.js';
export { canSee } from './live/event-audience.js';
export { canViewConversation, canReply, canManage, conversationScope } from './access/conversation-access.js';
export type { Viewer, Principal } from './auth/principal.js';
