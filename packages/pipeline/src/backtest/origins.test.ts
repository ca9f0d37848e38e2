import { describe, expect, it } from 'vitest';
import { daysOf, lastFullPeriods, monthStart, periodEnd, periodsBetween, validateOrigins } from './origins.js';

describe('backtest origins', () => {
  it('takes the last full months before the latest data, oldest first', () => {
    // Data through 2025-10-31: October is complete.
    expect(lastFullPeriods('2025-11-01', 'month', 3)).toEqual(['2025-08-01', '2025-09-01', '2025-10-01']);
    // Data through 2025-10-30: October is not.
    expect(lastFullPeriods('2025-10-31', 'month', 2)).toEqual(['2025-08-01', '2025-09-01']);
    expect(lastFullPeriods('2025-11-01', 'quarter', 2)).toEqual(['2025-04-01', '2025-07-01']);
  });

  it('gives each origin the rest of its period as horizon', () => {
    expect(daysOf('2024-02-01', 'month')).toBe(29);
    expect(daysOf('2024-02-10', 'month')).toBe(20);
    expect(periodEnd('2025-08-15', 'quarter')).toBe('2025-10-01');
    expect(daysOf('2025-07-01', 'quarter')).toBe(92);
  });

  it('lists the periods of a month range and parses YYYY-MM', () => {
    expect(periodsBetween('2025-04-01', '2025-06-01', 'month')).toEqual(['2025-04-01', '2025-05-01', '2025-06-01']);
    expect(periodsBetween('2025-02-01', '2025-09-01', 'quarter')).toEqual(['2025-01-01', '2025-04-01', '2025-07-01']);
    expect(monthStart('2025-04')).toBe('2025-04-01');
    expect(monthStart('2025-13')).toBeNull();
    expect(monthStart('April')).toBeNull();
  });

  it('names every bad origin', () => {
    let problems: readonly { where: string; message: string }[] = [];
    try {
      validateOrigins(['2023-01-01', '2025-10-01', '2025-11-01', 'soon', '2025-10-01'], 'month', '2023-06-01', '2025-11-01');
    } catch (error) {
      problems = (error as { problems: typeof problems }).problems;
    }
    expect(problems.map((p) => p.where)).toEqual(['origins[0]', 'origins[2]', 'origins[3]', 'origins']);
    expect(problems[0]!.message).toMatch(/no history to fit/);
    expect(problems[1]!.message).toMatch(/after the latest data \(2025-10-31\)/);
  });
});
