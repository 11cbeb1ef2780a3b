export * from './business-hours.js';
export * from './working-time.js';
export * from './plan-sla.js';
