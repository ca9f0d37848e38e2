import { describe, expect, it } from 'vitest';
import { asOfOrToday, todayUtc } from './dates.js';

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
