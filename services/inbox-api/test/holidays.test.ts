import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { listHolidays } from '@sapa/db/queries/holidays';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';

const ICS = readFileSync(new URL('./fixtures/indonesia-holidays-2026.ics', import.meta.url), 'utf8');

describe('tenant holidays', () => {
  let h: Harness;
  let w: World;
  const list = async (user: UserName = 'agent1') => (await h.app.inject({ method: 'GET', url: '/v1/tenant/holidays', headers: bearer(w.token(user)) })).json().items;
  const put = (items: unknown[]) => h.app.inject({ method: 'PUT', url: '/v1/tenant/holidays', headers: bearer(w.token('admin')), payload: { items } });
  const importIcs = (body: string, query = '', contentType = 'text/calendar') =>
    h.app.inject({ method: 'POST', url: `/v1/tenant/holidays/import${query}`, headers: { ...bearer(w.token('admin')), 'content-type': contentType }, payload: body });

  beforeAll(async () => {
    // Pinned in June 2026: a yearly event of the file is expanded through 2028.
    h = await createHarness({ now: () => new Date('2026-06-10T03:00:00Z') });
  });
  beforeEach(async () => {
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  it('starts empty for a new tenant', async () => {
    expect(await list()).toEqual([]);
  });

  it('replaces the whole list, answers it sorted by date, and lets every user of the tenant read it', async () => {
    await put([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
    const res = await put([
      { date: '2026-12-25', name: 'Natal', kind: 'national' },
      { date: '2026-12-24', name: 'Cuti Bersama Natal', kind: 'collective_leave' },
    ]);
    expect(res.statusCode).toBe(200);
    const expected = [
      { date: '2026-12-24', name: 'Cuti Bersama Natal', kind: 'collective_leave' },
      { date: '2026-12-25', name: 'Natal', kind: 'national' },
    ];
    expect(res.json().items).toEqual(expected);
    for (const user of ['admin', 'lead', 'agent2', 'qc', 'tier2'] as const) expect(await list(user)).toEqual(expected);
    expect(await listHolidays(h.deps.db, w.tenant.id)).toEqual(expected);
  });

  it('empties the list with an empty PUT, and audit-logs each replacement', async () => {
    await put([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
    await put([]);
    expect(await list()).toEqual([]);
    const audit = await h.deps.db.selectFrom('audit_log').select(['action', 'details']).where('tenant_id', '=', w.tenant.id).orderBy('created_at').execute();
    expect(audit).toEqual([
      { action: 'holidays.replaced', details: { count: 1 } },
      { action: 'holidays.replaced', details: { count: 0 } },
    ]);
  });

  it('refuses a leap day of a common year, naming the item, and changes nothing', async () => {
    await put([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
    const res = await put([{ date: '2028-02-29', name: 'ok', kind: 'national' }, { date: '2027-02-29', name: 'no such day', kind: 'national' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: { errors: [{ path: 'items[1].date', message: expect.any(String) }] } });
    expect(await list()).toEqual([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
  });

  describe('iCalendar import', () => {
    it('adds the all-day events of a real calendar export: multi-day events day by day, no timed or cancelled event', async () => {
      const res = await importIcs(ICS);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.added.map((d: { date: string }) => d.date)).toEqual([
        '2026-01-01',
        '2026-03-19',
        '2026-03-20',
        '2026-03-21',
        '2026-03-22',
        '2026-03-23',
        '2026-03-24',
        '2026-06-01',
        '2026-08-17',
        '2027-06-01',
        '2028-06-01',
      ]);
      expect(body.skipped).toEqual([{ date: '2026-03-19', name: 'Hari Raya Nyepi (perayaan)', kind: 'national' }]);
      const calendar = await list();
      expect(calendar).toEqual(body.items);
      expect(calendar).toContainEqual({ date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)', kind: 'national' });
      expect(calendar).toContainEqual({ date: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'collective_leave' });
      expect(calendar).toContainEqual({ date: '2026-03-20', name: 'Libur sebelum Idul Fitri 1447 Hijriah', kind: 'collective_leave' });
      const audit = await h.deps.db.selectFrom('audit_log').select(['action', 'details']).where('tenant_id', '=', w.tenant.id).execute();
      expect(audit).toEqual([{ action: 'holidays.imported', details: { added: 11, skipped: 1 } }]);
    });

    it('adds nothing when the same file comes again', async () => {
      const first = (await importIcs(ICS)).json();
      const again = await importIcs(ICS);
      expect(again.statusCode).toBe(200);
      expect(again.json().added).toEqual([]);
      expect(again.json().skipped).toHaveLength(first.added.length + 1);
      expect(await list()).toEqual(first.items);
    });

    it('keeps the entry of a date the calendar already has', async () => {
      await put([{ date: '2026-08-17', name: 'HUT RI ke-81', kind: 'national' }]);
      const res = (await importIcs(ICS)).json();
      expect(res.skipped).toContainEqual({ date: '2026-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia', kind: 'national' });
      expect(await list()).toContainEqual({ date: '2026-08-17', name: 'HUT RI ke-81', kind: 'national' });
    });

    it('gives every day the kind of ?kind=, and reads a content type with a charset', async () => {
      const res = await importIcs(ICS, '?kind=collective_leave', 'text/calendar; charset=utf-8');
      expect(res.statusCode).toBe(200);
      expect(new Set((await list()).map((d: { kind: string }) => d.kind))).toEqual(new Set(['collective_leave']));
    });

    it('refuses a body that is not iCalendar with 400 invalid_calendar and another content type with 415, changing nothing', async () => {
      await put([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
      const notIcs = await importIcs('SUMMARY:Tahun Baru\r\nDTSTART:20260101\r\n');
      expect([notIcs.statusCode, notIcs.json().error.code]).toEqual([400, 'invalid_calendar']);
      const plain = await importIcs(ICS, '', 'text/plain');
      expect([plain.statusCode, plain.json().error.code]).toEqual([415, 'unsupported_media_type']);
      expect(await list()).toEqual([{ date: '2026-01-01', name: 'Tahun Baru', kind: 'national' }]);
    });
  });
});
