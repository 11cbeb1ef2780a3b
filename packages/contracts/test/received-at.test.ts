import { describe, expect, it } from '@jest/globals';
import { readReceivedAt, receivedAtOf } from '../src/index.js';

const T = new Date('2026-01-05T03:00:00.123Z');

describe('receivedAtOf: the order of messages an adapter took in one go, in the microseconds', () => {
  it.each([
    [0, '2026-01-05T03:00:00.123Z'],
    [1, '2026-01-05T03:00:00.123001Z'],
    [42, '2026-01-05T03:00:00.123042Z'],
    [999, '2026-01-05T03:00:00.123999Z'],
    [1000, '2026-01-05T03:00:00.124Z'],
    [1001, '2026-01-05T03:00:00.124001Z'],
  ])('message %i of a batch taken at .123 is %s', (index, expected) => {
    expect(receivedAtOf(T, index)).toBe(expected);
  });

  it('numbers a batch in increasing times, as Postgres reads them', () => {
    const stamps = Array.from({ length: 1500 }, (_, i) => readReceivedAt(receivedAtOf(T, i))!);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });
});

describe('readReceivedAt: a receivedAt as a UTC time to the microsecond, or null', () => {
  it.each([
    ['2026-01-05T03:00:00.123Z', '2026-01-05T03:00:00.123000Z'],
    ['2026-01-05T03:00:00Z', '2026-01-05T03:00:00.000000Z'],
    ['2026-01-05T03:00:00.1Z', '2026-01-05T03:00:00.100000Z'],
    ['2026-01-05T03:00:00.123456Z', '2026-01-05T03:00:00.123456Z'],
    ['2026-01-05T03:00:00.1234567Z', '2026-01-05T03:00:00.123456Z'],
    ['2026-01-05T10:00:00.123004+07:00', '2026-01-05T03:00:00.123004Z'],
    ['2026-01-05T00:00:00.5-03:00', '2026-01-05T03:00:00.500000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(readReceivedAt(input)).toBe(expected);
  });

  it.each([
    ['no time', 'kemarin'],
    ['empty', ''],
    ['a date without a time', '2026-01-05'],
    ['no zone', '2026-01-05T03:00:00.123'],
    ['a month that does not exist', '2026-13-05T03:00:00Z'],
    ['a local format', '05/01/2026 03:00'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['year 0 once in UTC', '0000-01-01T00:30:00+01:00'],
  ])('refuses %s (%p)', (_what, input) => {
    expect(readReceivedAt(input)).toBeNull();
  });
});
