import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the V8 profile a service wrote with `--cpu-prof` and says where its CPU went: self time per library
 * (pg, ioredis, bullmq, fastify, kysely, Sapa's own packages, Node internals, GC) and the busiest functions.
 * Idle time is left out, so shares are of the time the process was actually working.
 */
export function summarizeProfile(dir) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const byCategory = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += ms;
    const category = categoryOf(node.callFrame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    const entry = byFunction.get(fn) ?? { category, ms: 0 };
    entry.ms += ms;
    byFunction.set(fn, entry);
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => (b[1].ms ?? b[1]) - (a[1].ms ?? a[1]))
      .slice(0, n);
  return {
    file: join(dir, file),
    busyMs: busy,
    categories: top(byCategory, 10).map(([name, ms]) => ({ name, share: ms / busy })),
    functions: top(byFunction, 12).map(([name, e]) => ({ name, category: e.category, share: e.ms / busy })),
  };
}

function categoryOf({ functionName, url }) {
  if (!url) return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = url.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (pkg) return pkg[1];
  const own = url.match(/\/(services|packages)\/([^/]+)\//);
  if (own) return `sapa ${own[2]}`;
  return 'other';
}

function shortUrl(url) {
  if (!url) return '';
  const pkg = url.match(/.*node_modules\/(.*)$/);
  if (pkg) return pkg[1];
  const own = url.match(/\/((?:services|packages)\/.*)$/);
  return own ? own[1] : url.replace(/^node:/, '');
}
