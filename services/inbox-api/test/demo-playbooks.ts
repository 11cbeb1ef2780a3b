import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEMO_TEAM_KEYS, loadPlaybooks, type Playbook } from '@sapa/handling';

const FILE = createRequire(import.meta.url).resolve('@sapa/handling/data/playbooks-demo.json');

/** The demo tenant's data file as parsed JSON (what an admin would PUT). */
export function demoPlaybookJson(): { items: Array<Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(FILE, 'utf8'));
}

/** The demo file's 23 playbooks, validated, defaults filled in. */
export function demoPlaybooks(): Playbook[] {
  return loadPlaybooks(demoPlaybookJson(), { teamKeys: DEMO_TEAM_KEYS });
}
