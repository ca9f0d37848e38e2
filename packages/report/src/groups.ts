import { addDays, combinationKey, dailyTotals, type DailyTotal, type IsoDate, type MappingRow, type ProductionRow } from '@funnelcast/core';
import type { ReportGrouping } from './report-data.js';

/** The actuals a fan chart shows before its forecast: the last quarter (13 weeks). */
export const ACTUAL_DAYS_SHOWN = 91;

/** One fan chart's rows: the total, a super-segment or a Channel × Source. */
export interface ChartGroup {
  readonly kind: 'total' | 'segment' | 'combination';
  readonly title: string;
  readonly totals: readonly DailyTotal[];
}

const sqlForecast = (rows: readonly ProductionRow[]) => rows.reduce((sum, r) => sum + (r.sqls_forecast ?? 0), 0);

/**
 * Each combination's super-segment: the one holding most of its SQLs in the mapping (a combination normally belongs
 * to one; where leads put it in several, it is drawn once, with its largest).
 */
function segmentOf(mapping: readonly MappingRow[]): Map<string, string> {
  const best = new Map<string, MappingRow>();
  for (const row of mapping) {
    const key = combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source });
    const current = best.get(key);
    if (!current || row.sql_count > current.sql_count) best.set(key, row);
  }
  return new Map([...best].map(([key, row]) => [key, row.super_segment]));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The fan charts of a run: the total, then each super-segment (in the mapping's order), then the `top` combinations
 * with the most forecast SQLs; actuals from {@link ACTUAL_DAYS_SHOWN} days before the as-of date.
 */
export function chartGroups(
  rows: readonly ProductionRow[],
  mapping: readonly MappingRow[],
  asOf: IsoDate,
  options: { readonly by?: ReportGrouping; readonly top: number },
): ChartGroup[] {
  const from = addDays(asOf, -ACTUAL_DAYS_SHOWN);
  const shown = rows.filter((r) => r.date_day >= from);
  const groups: ChartGroup[] = [{ kind: 'total', title: 'All Channel × Source', totals: dailyTotals(shown) }];
  const keyOf = (r: ProductionRow) => combinationKey({ channel: r.Channel_Grouping_Name, source: r.Original_source });
  if (options.by !== 'channel') {
    const segments = segmentOf(mapping);
    const bySegment = groupBy(shown, (r) => segments.get(keyOf(r)) ?? '');
    for (const segment of [...new Set(mapping.map((m) => m.super_segment))]) {
      groups.push({ kind: 'segment', title: segment, totals: dailyTotals(bySegment.get(segment) ?? []) });
    }
  }
  if (options.by !== 'segment') {
    const combinations = [...groupBy(shown, keyOf).values()]
      .map((list) => ({ first: list[0]!, list, sqls: sqlForecast(list) }))
      .sort((a, b) => b.sqls - a.sqls || keyOf(a.first).localeCompare(keyOf(b.first)))
      .slice(0, options.top);
    for (const { first, list } of combinations) {
      groups.push({ kind: 'combination', title: `${first.Channel_Grouping_Name} × ${first.Original_source}`, totals: dailyTotals(list) });
    }
  }
  return groups;
}
