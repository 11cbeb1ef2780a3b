export * from './attachment-store.js';
export * from './attachment-policy.js';
export * from './content-type.js';
export * from './local-disk-store.js';
export * from './save-attachment.js';
