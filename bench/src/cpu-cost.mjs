import { cpus } from 'node:os';

/**
 * CPU milliseconds each component spent per message while the phase was sending: what sets the ceiling of a
 * machine whose cores are all in use. Gateway and load generator work per request, the rest per message stored.
 */
export function cpuPerMessage(phase) {
  const perRequest = new Set(['gateway', 'bench']);
  const stored = Math.max(1, phase.endToEnd.storedWhileSending);
  const perMessage = {};
  for (const [name, cores] of Object.entries(phase.cpu)) {
    if (name === 'other') continue;
    perMessage[name] = (cores * phase.sendSeconds * 1000) / (perRequest.has(name) ? phase.ingest.sent : stored);
  }
  const total = Object.values(perMessage).reduce((s, v) => s + v, 0);
  return { perMessage, total, ceiling: (cpus().length * 1000) / total };
}
