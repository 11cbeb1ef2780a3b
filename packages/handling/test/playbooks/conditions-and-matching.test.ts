import { describe, expect, it } from '@jest/globals';
import { conditionHolds, normalizeName, normalizePhone, textsMatch, type Condition } from '../../src/index.js';

describe('textsMatch', () => {
  it.each<[string, string, 'name' | 'phone' | 'exact', boolean]>([
    ['Budi Santoso', 'BUDI SANTOSO', 'name', true],
    ['Budi  Santoso ', 'budi santoso', 'name', true],
    ['Budi Santoso', 'BudiSantoso', 'name', true],
    ['Budi\u200bSantoso', 'Budi Santoso', 'name', true],
    ['Ｂｕｄｉ Santoso', 'Budi Santoso', 'name', true],
    ['Budi Santoso', 'Budi Santosa', 'name', false],
    ['Budi Santoso', 'Budi S.', 'name', false],
    ['', '', 'name', false],
    ['   ', ' ', 'name', false],
    ['0812-3456-7890', '6281234567890', 'phone', true],
    ['+62 812 3456 7890', '081234567890', 'phone', true],
    ['081234567890', '081234567891', 'phone', false],
    ['A1', 'a1', 'exact', false],
    [' A1 ', 'A1', 'exact', true],
  ])('%j and %j under %s: %s', (a, b, how, same) => {
    expect(textsMatch(a, b, how)).toBe(same);
  });

  it('normalises names and phones', () => {
    expect(normalizeName(' Siti  AMINAH ')).toBe('sitiaminah');
    expect(normalizePhone('(0812) 3456')).toBe('628123456');
  });
});

describe('conditionHolds', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  const fields = { status: 'pending', amount: 100_000, flag: false, at: '2026-03-02T11:50:00Z', blank: ' ' };
  it.each<[Condition, boolean]>([
    [{ field: 'status', op: 'eq', value: 'pending' }, true],
    [{ field: 'status', op: 'eq', value: 'success' }, false],
    [{ field: 'status', op: 'ne', value: 'success' }, true],
    [{ field: 'missing', op: 'ne', value: false }, true],
    [{ field: 'flag', op: 'ne', value: false }, false],
    [{ field: 'missing', op: 'eq', value: false }, false],
    [{ field: 'status', op: 'in', value: ['pending', 'failed'] }, true],
    [{ field: 'status', op: 'in', value: ['failed'] }, false],
    [{ field: 'amount', op: 'gte', value: 100_000 }, true],
    [{ field: 'amount', op: 'gt', value: 100_000 }, false],
    [{ field: 'amount', op: 'lt', value: 100_001 }, true],
    [{ field: 'status', op: 'lt', value: 1 }, false],
    [{ field: 'blank', op: 'present' }, false],
    [{ field: 'blank', op: 'absent' }, true],
    [{ field: 'amount', op: 'present' }, true],
    [{ field: 'at', op: 'within_minutes', value: 15 }, true],
    [{ field: 'at', op: 'within_minutes', value: 10 }, false],
    [{ field: 'at', op: 'older_than_minutes', value: 9 }, true],
    [{ field: 'at', op: 'older_than_minutes', value: 10 }, false],
    [{ field: 'status', op: 'older_than_minutes', value: 1 }, false],
  ])('%j: %s', (condition, holds) => {
    expect(conditionHolds(condition, fields, now)).toBe(holds);
  });
});
