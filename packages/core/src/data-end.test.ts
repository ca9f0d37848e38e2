import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { detectDataEnd, effectiveAsOf } from './data-end.js';
import type { DailyCounts } from './ports.js';

const GRAIN = { superSegment: 'Outbound', channel: 'Web', source: 'organic' };

/** `perDay` MQLs every day in `[from, to)`, none on Saturdays and Sundays when `weekdaysOnly`. */
function days(from: string, to: string, perDay: number, weekdaysOnly = false): DailyCounts[] {
  const out: DailyCounts[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
    out.push({ date, ...GRAIN, mqls: perDay, sqls: 0, sqos: 0 });
  }
  return out;
}

describe('detectDataEnd', () => {
  it('calls five silent days of a busy funnel stale and starts the forecast the day after its last day', () => {
    const end = detectDataEnd(days('2026-09-01', '2026-12-01', 10), '2026-12-06');
    expect(end).toMatchObject({ lastDay: '2026-11-30', silentDays: 5, stale: true });
    expect(end.expectedEvents).toBeCloseTo(50, 5);
    expect(effectiveAsOf(end, '2026-12-06')).toBe('2026-12-01');
  });

  it('does not call a weekend without leads stale when the funnel never has weekend leads', () => {
    // 2026-12-05 is a Saturday: the data ends on Friday 2026-12-04, and Saturdays and Sundays are always silent.
    const end = detectDataEnd(days('2026-09-01', '2026-12-05', 10, true), '2026-12-07');
    expect(end).toMatchObject({ lastDay: '2026-12-04', silentDays: 2, stale: false, expectedEvents: 0 });
    expect(effectiveAsOf(end, '2026-12-07')).toBe('2026-12-07');
  });

  it('does not call a few silent days stale for a funnel with a lead every other week', () => {
    const sparse = days('2026-01-01', '2026-12-01', 1).filter((_, i) => i % 14 === 0);
    const end = detectDataEnd(sparse, '2026-12-06');
    expect(end.stale).toBe(false);
  });

  it('has no last day without history, and an as-of right after the data is not stale', () => {
    expect(detectDataEnd([], '2026-12-06')).toEqual({ lastDay: null, silentDays: 0, expectedEvents: 0, stale: false });
    expect(detectDataEnd(days('2026-09-01', '2026-12-06', 10), '2026-12-06')).toMatchObject({ silentDays: 0, stale: false });
  });
});
