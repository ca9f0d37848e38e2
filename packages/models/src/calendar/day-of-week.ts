/** Day of week of a day number (days since 1970-01-01, a Thursday): 0 = Sunday … 6 = Saturday, as in core. */
export function dayOfWeek(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
