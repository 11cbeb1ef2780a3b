import { describe, expect, it } from '@jest/globals';
import { phoneToE164 } from '../src/phone-e164.js';

describe('phoneToE164', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['(021) 5551234', '+62215551234'],
    ['+6590123456', '+6590123456'],
  ])('writes %s as %s', (input, e164) => {
    expect(phoneToE164(input)).toBe(e164);
  });

  it('reads a number without a country code in the region given', () => {
    expect(phoneToE164('0412 345 678', 'AU')).toBe('+61412345678');
  });

  it.each(['anonymous', '101', '', '0812', '+99912345'])('finds no number in %j', (input) => {
    expect(phoneToE164(input)).toBeUndefined();
  });
});
