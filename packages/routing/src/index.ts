export * from './least-busy.js';
