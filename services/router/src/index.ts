export * from './start-router.js';
export * from './assign-conversation.js';
export * from './persist-inbound.js';
export * from './inbound-worker.js';
export * from './drain-worker.js';
