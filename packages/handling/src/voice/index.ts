export * from './call-step.js';
export * from './call-texts.js';
