import type { ProductionRow } from './columns.js';
import { addDays, calendarParts, startOfMonth, startOfNextMonth, startOfQuarter } from './dates.js';
import { totalDistribution, type TotalMoments } from './total-distribution.js';
import { STAGES, type IsoDate, type Stage } from './vocabulary.js';

/** The periods a landing can be summed over. */
export const LANDING_PERIODS = ['day', 'week', 'month', 'quarter'] as const;
/** One of {@link LANDING_PERIODS}. */
export type LandingPeriod = (typeof LANDING_PERIODS)[number];

/**
 * Where one stage lands over one period: the actual count so far plus the forecast of the rest, with the intervals of
 * that total. The one type of a landing: the refresh summary's landings, `funnelcast forecast`'s rows (a landing with
 * its period's label and combination) and the report's table are all made by {@link landings}; the LookML landing
 * measures compute the same mean and variance in SQL (README, "What the views offer").
 */
export interface Landing {
  readonly stage: Stage;
  readonly period: LandingPeriod;
  /** First day of the period (weeks start on Monday). */
  readonly periodStart: IsoDate;
  /** Actual count in the period before the as-of date. */
  readonly actual: number;
  /** Expected count for the period's forecast days. */
  readonly forecast: number;
  /** `actual + forecast`. */
  readonly landing: number;
  readonly lower50: number;
  readonly upper50: number;
  readonly lower95: number;
  readonly upper95: number;
  /** The forecast horizon ends before the period does: the landing leaves out the period's last days. */
  readonly partial: boolean;
}

/** First day of the period of `by` that contains `date`. */
export function periodStart(date: IsoDate, by: LandingPeriod): IsoDate {
  if (by === 'day') return date;
  if (by === 'month') return startOfMonth(date);
  if (by === 'quarter') return startOfQuarter(date);
  // ISO weeks start on Monday.
  return addDays(date, -((calendarParts(date).dayOfWeek + 6) % 7));
}

/**
 * The one label of the period of `by` starting on `start`, in text and JSON alike: `2026-10-05` (day), `2026-W41` (ISO
 * week, numbered in the year of its Thursday), `2026-10` (month), `2026-Q4` (quarter).
 */
export function periodLabel(start: IsoDate, by: LandingPeriod): string {
  if (by === 'day') return start;
  if (by === 'month') return start.slice(0, 7);
  if (by === 'quarter') return `${start.slice(0, 4)}-Q${calendarParts(start).quarter}`;
  const thursday = calendarParts(addDays(periodStart(start, 'week'), 3));
  return `${thursday.year}-W${String(Math.floor((thursday.dayOfYear - 1) / 7) + 1).padStart(2, '0')}`;
}

/** First day after the period of `by` that starts on `start`. */
function periodEnd(start: IsoDate, by: LandingPeriod): IsoDate {
  if (by === 'day') return addDays(start, 1);
  if (by === 'week') return addDays(start, 7);
  const nextMonth = startOfNextMonth(start);
  return by === 'month' ? nextMonth : startOfNextMonth(startOfNextMonth(nextMonth));
}

interface Group {
  readonly start: IsoDate;
  readonly stage: Stage;
  actual: number;
  mean: number;
  ownVariance: number;
  sharedSd: number;
}

/** Adds a row's cells to its period's groups, one per stage in {@link STAGES} order. */
function addStages(stages: readonly Group[], row: ProductionRow): void {
  // Each column by name: a landing reads every row of a run, and a lookup by a name held in a variable costs several
  // plain property reads.
  addCell(stages[0]!, row.mqls_actual, row.mqls_forecast, row.mqls_own_var, row.mqls_shared_sd);
  addCell(stages[1]!, row.sqls_actual, row.sqls_forecast, row.sqls_own_var, row.sqls_shared_sd);
  addCell(stages[2]!, row.sqos_actual, row.sqos_forecast, row.sqos_own_var, row.sqos_shared_sd);
}

function addCell(group: Group, actual: number | null, forecast: number | null, ownVariance: number | null, sharedSd: number | null): void {
  group.actual += actual ?? 0;
  group.mean += forecast ?? 0;
  group.ownVariance += ownVariance ?? 0;
  group.sharedSd += sharedSd ?? 0;
}

/**
 * Every period's landing per stage, from production rows (published or just assembled): actual days add exactly, and
 * the forecast days' total has the distribution of {@link totalDistribution} from the rows' `{stage}_own_var` and
 * `{stage}_shared_sd`, so the same rows give the same landings wherever they are read. Sorted by period, then stage.
 */
export function landings(rows: readonly ProductionRow[], by: LandingPeriod): Landing[] {
  // Rows repeat each date once per combination: a date's period is worked out once, and each period holds its
  // stages' groups in an array, so the loop builds no text per row.
  const startOf = new Map<IsoDate, IsoDate>();
  const byStart = new Map<IsoDate, Group[]>();
  const groups: Group[] = [];
  let lastForecastDay: IsoDate | undefined;
  for (const row of rows) {
    let start = startOf.get(row.date_day);
    if (start === undefined) startOf.set(row.date_day, (start = periodStart(row.date_day, by)));
    if (row.data_type === 'FORECAST' && (lastForecastDay === undefined || row.date_day > lastForecastDay)) lastForecastDay = row.date_day;
    let stages = byStart.get(start);
    if (!stages) {
      const at = start;
      byStart.set(start, (stages = STAGES.map((stage) => ({ start: at, stage, actual: 0, mean: 0, ownVariance: 0, sharedSd: 0 }))));
      groups.push(...stages);
    }
    addStages(stages, row);
  }
  return groups
    .sort((a, b) => (a.start === b.start ? STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) : a.start < b.start ? -1 : 1))
    .map((group) => {
      const moments: TotalMoments = { mean: group.mean, ownVariance: group.ownVariance, sharedSd: group.sharedSd };
      const total = totalDistribution(moments);
      const { actual } = group;
      return {
        stage: group.stage,
        period: by,
        periodStart: group.start,
        actual,
        forecast: total.mean,
        landing: actual + total.mean,
        lower50: actual + total.lower50,
        upper50: actual + total.upper50,
        lower95: actual + total.lower95,
        upper95: actual + total.upper95,
        partial: lastForecastDay !== undefined && periodEnd(group.start, by) > addDays(lastForecastDay, 1),
      };
    });
}
