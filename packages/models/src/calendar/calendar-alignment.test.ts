import { toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { sameDate, sameLastWeekday, sameNthWeekday } from './calendar-alignment.js';

const day = toDayNumber;

describe('year alignments', () => {
  it('finds the same calendar date, and none for 29 February', () => {
    expect(sameDate(day('2025-12-25'), 1)).toBe(day('2024-12-25'));
    expect(sameDate(day('2025-12-25'), 2)).toBe(day('2023-12-25'));
    expect(sameDate(day('2024-02-29'), 1)).toBeUndefined();
  });

  it('finds the same n-th weekday of the month: Thanksgiving a year and two years before', () => {
    expect(sameNthWeekday(day('2025-11-27'), 1)).toBe(day('2024-11-28'));
    expect(sameNthWeekday(day('2025-11-27'), 2)).toBe(day('2023-11-23'));
    // The fifth Saturday of November 2024 has no twin in 2023.
    expect(sameNthWeekday(day('2024-11-30'), 1)).toBeUndefined();
  });

  it('finds the same last weekday of the month for a day that is one: Memorial Day', () => {
    expect(sameLastWeekday(day('2025-05-26'), 1)).toBe(day('2024-05-27'));
    expect(sameLastWeekday(day('2025-05-26'), 2)).toBe(day('2023-05-29'));
    expect(sameLastWeekday(day('2025-05-19'), 1)).toBeUndefined();
  });

  it('agrees with the UTC calendar of Date on every day of four centuries, leap days and century years included', () => {
    const iso = (dayNumber: number) => new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    const mismatches: string[] = [];
    for (let d = day('1899-12-25'); d <= day('2300-01-07'); d++) {
      const date = iso(d);
      // The same date a year back by Date's own arithmetic; none for 29 February.
      const year = Number(date.slice(0, 4)) - 1;
      const expected = date.slice(5) === '02-29' ? undefined : day(`${String(year).padStart(4, '0')}${date.slice(4)}`);
      if (sameDate(d, 1) !== expected) mismatches.push(date);
    }
    expect(mismatches).toEqual([]);
  });
});
