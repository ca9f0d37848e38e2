import {
  addDays,
  combinationKey,
  compareCombinations,
  daysBetween,
  toDayNumber,
  type Combination,
  type DailyCounts,
  type DailySeries,
  type IsoDate,
  type Stage,
} from '@funnelcast/core';

/**
 * Dense daily series from the warehouse's sparse aggregates: a missing day is a zero, and a series starts on its
 * first event (a combination launched last month has no leading zeros that would drag its level down) — but never
 * later than `minDays / n` days before the end, for `n` events of the stage: one lead yesterday is one lead in four
 * weeks, not a rate of one a day (the mapping's exposure floor, design.md step 2), while a channel that brought dozens
 * in its first days is read over those days.
 */
export function denseSeries(
  daily: readonly DailyCounts[],
  stage: Stage,
  keyOf: (row: DailyCounts) => string,
  keys: readonly string[],
  end: IsoDate,
  earliest: IsoDate,
  minDays: number,
): DailySeries[] {
  // Each row's series is found once, by one lookup of its key, and the rest is read by that index; day numbers are
  // worked out once per distinct date: parsing a date is far dearer than a lookup, and a long history repeats each
  // date once per grain.
  const indexOf = new Map(keys.map((key, index) => [key, index]));
  const rowSeries = new Int32Array(daily.length);
  const firstEvent = new Array<IsoDate | undefined>(keys.length);
  const events = new Float64Array(keys.length);
  daily.forEach((row, i) => {
    const index = indexOf.get(keyOf(row)) ?? -1;
    rowSeries[i] = index;
    if (index < 0) return;
    const first = firstEvent[index];
    if (row[stage] > 0 && (first === undefined || row.date < first)) firstEvent[index] = row.date;
    events[index]! += row[stage];
  });
  const dayNumbers = new Map<IsoDate, number>();
  const dayOf = (date: IsoDate) => {
    let day = dayNumbers.get(date);
    if (day === undefined) dayNumbers.set(date, (day = toDayNumber(date)));
    return day;
  };
  const series = keys.map((key, index) => {
    // A series with no events at all still gets its run of zeros, so the model can say "zero".
    const floor = addDays(end, -Math.ceil(minDays / Math.max(1, events[index]!)));
    const first = firstEvent[index] ?? floor;
    const latest = first < floor ? first : floor;
    const start = latest < earliest ? earliest : latest;
    return { key, start, startDay: dayOf(start), values: new Array<number>(Math.max(1, daysBetween(start, end))).fill(0) };
  });
  daily.forEach((row, i) => {
    const index = rowSeries[i]!;
    if (index < 0) return;
    const target = series[index]!;
    const at = dayOf(row.date) - target.startDay;
    if (at >= 0 && at < target.values.length) target.values[at] = (target.values[at] ?? 0) + row[stage];
  });
  // A key listed twice is one series (its rows went to its last listing), as it was when series were keyed by name.
  return keys.map((key) => {
    const { start, values } = series[indexOf.get(key)!]!;
    return { key, start, values };
  });
}

/** The combination key of a daily row (its segment ignored). */
export const byCombination = (row: DailyCounts): string => combinationKey({ channel: row.channel, source: row.source });

/** The super-segment of a daily row. */
export const bySegment = (row: DailyCounts): string => row.superSegment;

/** Distinct combinations, sorted by channel then source. */
export function sortCombinations(combinations: Iterable<Combination>): Combination[] {
  const unique = new Map<string, Combination>();
  for (const c of combinations) unique.set(combinationKey(c), { channel: c.channel, source: c.source });
  return [...unique.values()].sort(compareCombinations);
}

/**
 * Daily counts of one stage per unit over `[from, from + days)`: a unit appears once any row of it falls in the
 * window, its days without events are zeros. Scoring reads actuals this way, whatever the grain `keyOf` names.
 */
export function windowCounts(daily: readonly DailyCounts[], stage: Stage, keyOf: (row: DailyCounts) => string, from: IsoDate, days: number): Map<string, number[]> {
  // One date string per day of the window, not a date parse per row.
  const dayOf = new Map<IsoDate, number>();
  for (let d = 0; d < days; d++) dayOf.set(addDays(from, d), d);
  const units = new Map<string, number[]>();
  for (const row of daily) {
    const at = dayOf.get(row.date);
    if (at === undefined) continue;
    const key = keyOf(row);
    let values = units.get(key);
    if (!values) units.set(key, (values = new Array<number>(days).fill(0)));
    values[at]! += row[stage];
  }
  return units;
}
