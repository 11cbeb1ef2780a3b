export * from './least-busy.js';
export * from './phrase-match.js';
export * from './playbook-groups.js';
export * from './rule-matches.js';
export * from './decide-routing.js';
export * from './pick-agent.js';
export * from './estimate-wait.js';
export * from './response-timer.js';
