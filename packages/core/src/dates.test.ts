import { describe, expect, it } from 'vitest';
import { asOfOrToday, fromDayNumber, isIsoDate, toDayNumber, todayUtc } from './dates.js';

describe('today and the default as-of date', () => {
  it('names the UTC calendar day of an instant, whatever the local zone would say', () => {
    expect(todayUtc(new Date('2025-10-01T23:59:59-05:00'))).toBe('2025-10-02');
    expect(todayUtc(new Date('2025-10-01T00:00:00Z'))).toBe('2025-10-01');
  });

  it('keeps an as-of date that was asked for and falls back to today otherwise', () => {
    const now = new Date('2025-10-01T12:00:00Z');
    expect(asOfOrToday('2024-02-29', now)).toBe('2024-02-29');
    expect(asOfOrToday(undefined, now)).toBe('2025-10-01');
  });
});

describe('ISO dates and day numbers', () => {
  it('counts days from 1970-01-01, across leap days and centuries', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11_017);
    expect(toDayNumber('2024-02-29')).toBe(19_782);
    expect(toDayNumber('9999-12-31')).toBe(2_932_896);
    expect(toDayNumber('0100-01-01')).toBe(-683_003);
  });

  it('is the inverse of fromDayNumber on every day of four centuries', () => {
    for (let day = -146_097; day < 2 * 146_097; day++) expect(toDayNumber(fromDayNumber(day))).toBe(day);
  });

  it('accepts real calendar days written YYYY-MM-DD and nothing else', () => {
    for (const date of ['2024-02-29', '2000-02-29', '1900-02-28', '2025-12-31', '0100-01-01']) expect(isIsoDate(date)).toBe(true);
    const refused = ['2023-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-1-01', '2025/01/01',
      ' 2025-01-01', '2025-01-01\n', '2025-01-01T00:00:00Z', '+02025-01-01', '２０２５-01-01', '', '0099-12-31'];
    for (const date of refused) expect(isIsoDate(date), date).toBe(false);
    expect(() => toDayNumber('2023-02-29')).toThrow(RangeError);
  });
});
