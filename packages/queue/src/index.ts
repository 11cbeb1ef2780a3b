export * from './queues.js';
export * from './connection.js';
export * from './producer.js';
export * from './worker.js';
export * from './event-bus.js';
export * from './ticket-timers.js';
export * from './lease/lease-store.js';
