import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ATTRIBUTE_TEXT_MAX, RoutingRuleList, type RoutingRule } from '@sapa/contracts';
import { unknownTeamIds } from '@sapa/db/queries/agents';
import { recordAudit } from '@sapa/db/queries/audit-log';
import type { Db } from '@sapa/db/queries/db-handle';
import { listRoutingRules, replaceRoutingRules, unknownChannelIds } from '@sapa/db/queries/routing-rules';
import { requireRole } from '../auth/auth-plugin.js';
import { ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/**
 * The tenant's routing rules (api-contract.md §Routing): the ordered list the routers match each new conversation
 * against, first match wins. Admins, team leaders and QC read it; admins replace it (audit-logged).
 */
export const routingRuleRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['routing'];

  app.get(
    '/v1/routing/rules',
    {
      onRequest: requireRole('admin', 'team_leader', 'quality_control'),
      schema: { tags, summary: "The tenant's routing rules, in the order they are tried", response: { 200: RoutingRuleList, ...errorResponses(...AUTHED) } },
    },
    async (request) => ({ items: await listRoutingRules(deps.db, request.principal.tenantId) }),
  );

  app.put(
    '/v1/routing/rules',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags,
        summary: 'Replace the whole list of routing rules',
        description:
          'Admin only. The list is tried in order and the first rule whose `when` holds sets the new conversation’s queue, priority, skills and language (`then`). ' +
          'A key used twice, a `then.teamId` or a `when.channelIds` entry that is not the tenant’s is 400 `validation_failed` naming the path (`items[2].key`, `items[0].then.teamId`, `items[1].when.channelIds[0]`); nothing changes. Audit-logged.',
        body: RoutingRuleList,
        response: { 200: RoutingRuleList, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const { items } = request.body;
      const saved = await deps.db.transaction().execute(async (trx) => {
        await checkRules(trx, tenantId, items);
        const list = await replaceRoutingRules(trx, tenantId, items);
        await recordAudit(trx, tenantId, { actorId: userId, action: 'routing_rules.replaced', targetType: 'tenant', targetId: tenantId, details: { keys: list.map((r) => r.key) } });
        return list;
      });
      request.log.info({ tenantId, count: saved.length }, 'routing rules replaced');
      return { items: saved };
    },
  );
};

interface RuleError {
  path: string;
  message: string;
}

/**
 * What the schema cannot say: keys unique in the list, skills unique in a rule, contact attribute values of a type
 * that can match (see AttributeValue of @sapa/contracts), teams and channels of this tenant.
 */
async function checkRules(db: Db, tenantId: string, items: RoutingRule[]): Promise<void> {
  const errors: RuleError[] = [];
  const firstAt = new Map<string, number>();
  for (const [i, rule] of items.entries()) {
    const earlier = firstAt.get(rule.key);
    if (earlier !== undefined) errors.push({ path: `items[${i}].key`, message: `repeats the key of items[${earlier}]; keys name one rule each` });
    else firstAt.set(rule.key, i);
    for (const [name, value] of Object.entries(rule.when.contactAttributes ?? {})) {
      if (!isAttributeValue(value)) errors.push({ path: `items[${i}].when.contactAttributes.${name}`, message: `must be a text of at most ${ATTRIBUTE_TEXT_MAX} characters, a number or true/false` });
    }
    const skills = rule.then.skills ?? [];
    for (const [j, skill] of skills.entries()) {
      if (skills.findIndex((s) => s.key === skill.key) < j) errors.push({ path: `items[${i}].then.skills[${j}].key`, message: `repeats "${skill.key}"; give each skill once` });
    }
  }
  const unknownTeams = new Set(await unknownTeamIds(db, tenantId, [...new Set(items.flatMap((r) => (r.then.teamId ? [r.then.teamId] : [])))]));
  const unknownChannels = new Set(await unknownChannelIds(db, tenantId, [...new Set(items.flatMap((r) => r.when.channelIds ?? []))]));
  for (const [i, rule] of items.entries()) {
    if (rule.then.teamId && unknownTeams.has(rule.then.teamId)) errors.push({ path: `items[${i}].then.teamId`, message: 'is not a team of this tenant' });
    for (const [j, id] of (rule.when.channelIds ?? []).entries()) {
      if (unknownChannels.has(id)) errors.push({ path: `items[${i}].when.channelIds[${j}]`, message: 'is not a channel of this tenant' });
    }
  }
  if (errors.length > 0) throw ValidationFailed(`invalid routing rules: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
}

function isAttributeValue(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= ATTRIBUTE_TEXT_MAX;
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
