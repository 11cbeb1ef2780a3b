import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HandlingSuggestions } from '@sapa/contracts';
import { visibleConversation } from '../access/visible-conversation.js';
import { handlingTexts } from '../handling/handling-texts.js';
import { loadTextContext } from '../handling/text-context.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** `GET /v1/conversations/{id}/suggestions` (api-contract.md §Handling flow): the texts of phases 1 and 7, and the nudge. */
export const suggestionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/conversations/:id/suggestions',
    {
      schema: {
        tags: ['conversations'],
        summary: "The tenant's greeting, closing and nudge texts, filled for this conversation now",
        description:
          "Whoever may see the conversation. The agent's name is the assignee's (the caller's when nobody holds it); the time-of-day word and the closing phrase (weekend and long weekends from the holiday calendar) are those of now in the tenant's time zone; Indonesian unless the tenant's locale is `en`.",
        params: IdParams,
        response: { 200: HandlingSuggestions, ...errorResponses(...AUTHED, 404) },
      },
    },
    async (request) => {
      const conversation = await visibleConversation(deps.db, request.principal, request.params.id);
      return handlingTexts(await loadTextContext(deps.db, request.principal, conversation, now()));
    },
  );
};
