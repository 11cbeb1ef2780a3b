import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BUSINESS_HOURS, validateBusinessHours } from '../../src/sla/index.js';

const open = (from: string, to: string) => ({ from, to });

describe('validateBusinessHours', () => {
  it.each<[string, unknown]>([
    ['the default hours', DEFAULT_BUSINESS_HOURS],
    ['no hours at all (always closed)', {}],
    ['a closed day written as an empty list', { mon: [], tue: [open('08:00', '17:00')] }],
    ['split days', { mon: [open('08:00', '12:00'), open('13:00', '17:00')] }],
    ['openings that touch', { sat: [open('08:00', '12:00'), open('12:00', '17:00')] }],
    ['a day open until midnight with "24:00"', { sun: [open('00:00', '24:00')] }],
    ['four openings in a day', { fri: [open('06:00', '07:00'), open('08:00', '09:00'), open('10:00', '11:00'), open('12:00', '23:59')] }],
  ])('accepts %s and returns it', (_name, hours) => {
    expect(validateBusinessHours(hours)).toEqual(hours);
  });

  it('gives Monday–Friday 08:00–17:00 by default, and nothing at the weekend', () => {
    expect(DEFAULT_BUSINESS_HOURS).toEqual({
      mon: [open('08:00', '17:00')],
      tue: [open('08:00', '17:00')],
      wed: [open('08:00', '17:00')],
      thu: [open('08:00', '17:00')],
      fri: [open('08:00', '17:00')],
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['something that is not an object', [], '(root)', /Expected object/],
    ['an unknown day', { monday: [open('08:00', '17:00')] }, 'monday', /Unexpected property/],
    ['a day that is not a list', { mon: open('08:00', '17:00') }, 'mon', /Expected array/],
    ['five openings in a day', { mon: Array.from({ length: 5 }, (_, i) => open(`0${i}:00`, `0${i}:30`)) }, 'mon', /less or equal to 4/],
    ['an opening without its end', { tue: [{ from: '08:00' }] }, 'tue[0].to', /required/],
    ['an unknown key in an opening', { tue: [{ ...open('08:00', '17:00'), note: 'x' }] }, 'tue[0].note', /Unexpected property/],
    ['a single-digit hour', { tue: [open('08:00', '12:00'), open('1:00', '17:00')] }, 'tue[1].from', /"HH:MM".*00:00 to 23:59/],
    ['an opening that starts at "24:00"', { wed: [open('24:00', '24:00')] }, 'wed[0].from', /"HH:MM"/],
    ['an end past midnight', { wed: [open('20:00', '24:30')] }, 'wed[0].to', /"HH:MM".*00:00 to 24:00/],
    ['minutes past 59', { wed: [open('08:60', '17:00')] }, 'wed[0].from', /"HH:MM"/],
    ['an opening that ends before it starts', { thu: [open('17:00', '08:00')] }, 'thu[0].to', /later than from \(17:00\).*"24:00"/],
    ['an opening that ends when it starts', { thu: [open('08:00', '08:00')] }, 'thu[0].to', /later than from/],
    ['an overnight shift ending at "00:00"', { fri: [open('22:00', '00:00')] }, 'fri[0].to', /cannot run past midnight/],
    ['overlapping openings', { tue: [open('08:00', '12:00'), open('11:00', '17:00')] }, 'tue[1].from', /end of tue\[0\] \(12:00\).*do not overlap/],
    ['openings out of order', { sat: [open('13:00', '17:00'), open('08:00', '12:00')] }, 'sat[1].from', /sorted/],
  ])('refuses %s with invalid_business_hours at the bad path', (_name, hours, path, message) => {
    expect(() => validateBusinessHours(hours)).toThrow(
      expect.objectContaining({
        code: 'invalid_business_hours',
        details: { errors: [{ path, message: expect.stringMatching(message) }] },
      }),
    );
  });

  it('lists every problem at once, in the message too', () => {
    const hours = { mon: [open('17:00', '08:00')], wed: [open('08:00', '12:00'), open('09:00', '10:00'), open('09:30', '11:00')] };
    let thrown: unknown;
    try {
      validateBusinessHours(hours);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      name: 'HandlingError',
      details: { errors: [{ path: 'mon[0].to' }, { path: 'wed[1].from' }, { path: 'wed[2].from' }] },
    });
    expect((thrown as Error).message).toMatch(/3 problem\(s\).*mon\[0\]\.to.*wed\[1\]\.from.*wed\[2\]\.from/);
  });
});
