export * from './schema.js';
export * from './connect.js';
export * from './migrate.js';
export * from './secret-box.js';
export * from './passwords.js';
export * from './tokens.js';
export * from './dto.js';
export * from './readiness.js';
