import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HolidayImportQuery, HolidayImportResult, HolidayList } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { addHolidays, listHolidays, replaceHolidays } from '@sapa/db/queries/holidays';
import { validateHolidayList } from '@sapa/handling';
import { requireRole } from '../auth/auth-plugin.js';
import { UnsupportedMediaType, ValidationFailed } from '../errors.js';
import { parseIcalHolidays } from '../holidays/parse-ical-holidays.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

const CALENDAR = 'text/calendar';

/**
 * The tenant's holiday calendar (api-contract.md §Tenant settings), which the closing phrase reads for long
 * weekends. Everyone of the tenant may read it; only admins change it (audit-logged).
 */
export const holidayRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
  app.addHook('onRequest', app.authenticate);
  // Only this plugin reads iCalendar bodies; the text goes to the parser as it came.
  app.addContentTypeParser(CALENDAR, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(
    '/v1/tenant/holidays',
    {
      schema: {
        tags: ['tenant'],
        summary: "The tenant's holidays, by date",
        response: { 200: HolidayList, ...errorResponses(...AUTHED) },
      },
    },
    async (request) => ({ items: await listHolidays(deps.db, request.principal.tenantId) }),
  );

  app.put(
    '/v1/tenant/holidays',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['tenant'],
        summary: 'Replace the whole holiday list',
        description:
          'Admin only. A date that is not a real calendar day, a repeated date, a missing name or an unknown kind is 400 `validation_failed`; nothing changes. Audit-logged.',
        body: HolidayList,
        response: { 200: HolidayList, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const checked = validateHolidayList(request.body.items);
      if (!checked.ok) throw ValidationFailed(`invalid holidays: ${checked.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors: checked.errors });
      const items = await deps.db.transaction().execute(async (trx) => {
        const list = await replaceHolidays(trx, tenantId, checked.items);
        await recordAudit(trx, tenantId, { actorId: userId, action: 'holidays.replaced', targetType: 'tenant', targetId: tenantId, details: { count: list.length } });
        return list;
      });
      request.log.info({ tenantId, count: items.length }, 'holidays replaced');
      return { items };
    },
  );

  app.post(
    '/v1/tenant/holidays/import',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['tenant'],
        summary: 'Add the all-day events of an iCalendar file',
        description:
          'Admin only; the body is the `.ics` file as `text/calendar`. Each day of an all-day event becomes a holiday (a multi-day event gives each day; a yearly one each year up to the end of next year but one); timed and cancelled events are left out. ' +
          'A date already in the calendar keeps its entry (reported in `skipped`). `?kind=` sets the kind of every day; without it a day is `collective_leave` when its event says "cuti bersama", else `national`. ' +
          'A body that is not an iCalendar file is 400 `invalid_calendar`, another content type 415; nothing changes. Audit-logged.',
        querystring: HolidayImportQuery,
        body: { content: { [CALENDAR]: { schema: Type.String({ description: 'an iCalendar (RFC 5545) file' }) } } },
        response: { 200: HolidayImportResult, ...errorResponses(400, ...AUTHED, 415) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const body: unknown = request.body;
      if (typeof body !== 'string' || !request.headers['content-type']?.toLowerCase().startsWith(CALENDAR)) {
        throw UnsupportedMediaType(`send the .ics file as the body with Content-Type: ${CALENDAR}`);
      }
      const parsed = parseIcalHolidays(body, { kind: request.query.kind, expandUntil: `${now().getUTCFullYear() + 2}-12-31` });
      const checked = validateHolidayList(parsed.items);
      if (!checked.ok) throw ValidationFailed(`the calendar gives invalid days: ${checked.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors: checked.errors });
      const result = await deps.db.transaction().execute(async (trx) => {
        const added = await addHolidays(trx, tenantId, checked.items);
        await recordAudit(trx, tenantId, {
          actorId: userId,
          action: 'holidays.imported',
          targetType: 'tenant',
          targetId: tenantId,
          details: { added: added.added.length, skipped: added.skipped.length + parsed.repeated.length },
        });
        return added;
      });
      request.log.info({ tenantId, added: result.added.length, skipped: result.skipped.length }, 'holidays imported');
      return { added: result.added, skipped: [...result.skipped, ...parsed.repeated], items: result.items };
    },
  );
};
