/**
 * The US holidays that empty a B2B funnel: New Year's Day, Memorial Day, Independence Day, Labor Day, Thanksgiving
 * and the Friday after, Christmas Day. Returned as day numbers (days since 1970-01-01) for one year.
 */
export function usHolidayDays(year: number): number[] {
  const day = (month: number, dayOfMonth: number): number => Math.round(Date.UTC(year, month - 1, dayOfMonth) / 86_400_000);
  const weekday = (dayNumber: number): number => (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const nthWeekday = (month: number, dow: number, n: number): number => {
    const first = day(month, 1);
    return first + ((dow - weekday(first) + 7) % 7) + 7 * (n - 1);
  };
  const lastMonday = (month: number): number => {
    const last = day(month + 1, 1) - 1;
    return last - ((weekday(last) - 1 + 7) % 7);
  };
  const thanksgiving = nthWeekday(11, 4, 4);
  return [day(1, 1), lastMonday(5), day(7, 4), nthWeekday(9, 1, 1), thanksgiving, thanksgiving + 1, day(12, 25)];
}

