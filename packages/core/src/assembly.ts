import { PRODUCTION_FORECAST, type ProductionRow } from './columns.js';
import { CombinationIds } from './combination-ids.js';
import { countBounds } from './count-distribution.js';
import { addDays, calendarParts, dateRange, startOfMonth, startOfQuarter, toDayNumber } from './dates.js';
import { InputError, type Problem } from './errors.js';
import { compareCombinations } from './mapping.js';
import type { DailyCounts, PredictiveSeries } from './ports.js';
import { cellTotalMoments } from './total-distribution.js';
import { combinationKey, combinationLabel, parseCombinationKey, STAGES, type Combination, type IsoDate, type Stage } from './vocabulary.js';

/** What {@link assembleProductionRows} needs. */
export interface AssemblyInput {
  readonly asOf: IsoDate;
  readonly horizon: number;
  readonly runId: string;
  /** ISO timestamp of the run. */
  readonly generatedAt: string;
  /** First day of ACTUAL rows (at least the start of the previous quarter). */
  readonly actualsFrom: IsoDate;
  /** Every combination that gets rows (any order; duplicates count once). */
  readonly combinations: readonly Combination[];
  readonly daily: readonly DailyCounts[];
  /**
   * Fine-grain forecasts per stage, keyed by combination key, each with at least `horizon` days; a missing series
   * means zero for that stage.
   */
  readonly forecasts: Readonly<Record<Stage, readonly PredictiveSeries[]>>;
  /** The hybrid SQL→SQO rate of every combination. */
  readonly rates: ReadonlyMap<string, number>;
  readonly models: { readonly mqls: string; readonly sqls: string };
}

/**
 * One stage's fields of one row, before they are spelled out under the row's column names: refilled for every row, so
 * the hundreds of thousands of cells of a refresh allocate nothing besides their rows.
 */
interface StageCell {
  actual: number | null;
  forecast: number | null;
  lower95: number | null;
  lower50: number | null;
  upper50: number | null;
  upper95: number | null;
  ownVar: number | null;
  sharedSd: number | null;
  combined: number;
  mtd: number;
  qtd: number;
}

/** What every combination's row of one date shares: computed once per date, not once per row. */
interface DateInfo {
  readonly date: IsoDate;
  /** Horizon day (0 on the as-of date); negative on ACTUAL dates. */
  readonly day: number;
  /** The month or quarter differs from the previous date's: running sums restart here. */
  readonly newMonth: boolean;
  readonly newQuarter: boolean;
  readonly quarter: number;
  readonly month: number;
  readonly year: number;
}

function dateInfos(from: IsoDate, to: IsoDate, asOf: IsoDate): DateInfo[] {
  const asOfDay = toDayNumber(asOf);
  let previous: { month: IsoDate; quarter: IsoDate } | undefined;
  return dateRange(from, to).map((date) => {
    const month = startOfMonth(date);
    const quarter = startOfQuarter(date);
    const parts = calendarParts(date);
    const info = {
      date,
      day: toDayNumber(date) - asOfDay,
      newMonth: month !== previous?.month,
      newQuarter: quarter !== previous?.quarter,
      quarter: parts.quarter,
      month: parts.month,
      year: parts.year,
    };
    previous = { month, quarter };
    return info;
  });
}

/**
 * One stage's forecasts laid out by horizon day, then combination (zeros where a combination has no series): rows are
 * made in that order, and reading one array front to back beats reading a day of every combination's own arrays.
 */
interface StageForecasts {
  readonly width: number;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

function stageForecasts(series: readonly PredictiveSeries[], columnOf: ReadonlyMap<string, number>, horizon: number): StageForecasts {
  const width = columnOf.size;
  const mean = new Float64Array(horizon * width);
  const variance = new Float64Array(horizon * width);
  // A key given twice keeps its last series, as a Map of them by key did.
  for (const one of series) {
    const column = columnOf.get(one.key)!;
    for (let day = 0; day < horizon; day++) {
      mean[day * width + column] = one.mean[day]!;
      variance[day * width + column] = one.variance[day]!;
    }
  }
  return { width, mean, variance };
}

/** One stage of one combination, walked date by date in order: its forecast and its running sums. */
class StageWalk {
  private mtd = 0;
  private qtd = 0;
  private readonly fields: StageCell = {
    actual: null, forecast: null, lower95: null, lower50: null, upper50: null, upper95: null, ownVar: null, sharedSd: null, combined: 0, mtd: 0, qtd: 0,
  };
  /** `forecasts` holds the stage's means and variances by horizon day, then combination; this walk's is `column`. */
  constructor(
    private readonly forecasts: StageForecasts,
    private readonly column: number,
  ) {}

  /** The stage's fields on `info`'s date, given its actual count there (`null` on a forecast date), valid until the next call. */
  cell(info: DateInfo, actual: number | null): StageCell {
    const fields = this.fields;
    if (info.newMonth) this.mtd = 0;
    if (info.newQuarter) this.qtd = 0;
    if (actual !== null) {
      this.mtd += actual;
      this.qtd += actual;
      fields.actual = actual;
      fields.forecast = fields.lower95 = fields.lower50 = fields.upper50 = fields.upper95 = fields.ownVar = fields.sharedSd = null;
      fields.combined = actual;
    } else {
      const at = info.day * this.forecasts.width + this.column;
      const mean = Math.max(0, this.forecasts.mean[at]!);
      const variance = this.forecasts.variance[at]!;
      const bounds = countBounds(mean, variance);
      const moments = cellTotalMoments(mean, variance);
      this.mtd += mean;
      this.qtd += mean;
      fields.actual = null;
      fields.forecast = mean;
      fields.lower95 = bounds.lower95;
      fields.lower50 = bounds.lower50;
      fields.upper50 = bounds.upper50;
      fields.upper95 = bounds.upper95;
      fields.ownVar = moments.ownVariance;
      fields.sharedSd = moments.sharedSd;
      fields.combined = mean;
    }
    fields.mtd = this.mtd;
    fields.qtd = this.qtd;
    return fields;
  }
}

/** Every reason the inputs cannot be assembled: a combination without a rate, a forecast nobody gets, a short one. */
function assemblyProblems(input: AssemblyInput, keys: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  for (const key of keys) {
    if (!input.rates.has(key)) problems.push({ where: combinationLabel(parseCombinationKey(key)), message: 'has no SQL→SQO rate' });
  }
  for (const stage of STAGES) {
    for (const series of input.forecasts[stage]) {
      const where = `${stage} forecast ${combinationLabel(parseCombinationKey(series.key))}`;
      if (!keys.has(series.key)) problems.push({ where, message: 'is for a combination that is not among the combinations, so it would be lost' });
      if (series.mean.length < input.horizon || series.variance.length < input.horizon) {
        problems.push({ where, message: `has ${series.mean.length} means and ${series.variance.length} variances; the horizon needs ${input.horizon}` });
      }
    }
  }
  return problems;
}

/**
 * The rows of `vw_production_forecast`: ACTUAL rows for every combination and day in `[actualsFrom, asOf)` (zeros
 * filled, summed over super-segments), FORECAST rows for every day of the horizon, with bounds from the count
 * distribution of each cell, combined values and MTD/QTD running sums that carry from actuals into the forecast.
 * Sorted by date, channel, source.
 * @throws InputError naming every combination without a rate and every forecast series that is not for one of the
 * combinations or is shorter than the horizon.
 */
export function assembleProductionRows(input: AssemblyInput): ProductionRow[] {
  const { asOf, horizon } = input;
  const unique = new Map(input.combinations.map((c) => [combinationKey(c), { channel: c.channel, source: c.source }]));
  const combinations = [...unique.values()].sort(compareCombinations);
  const problems = assemblyProblems(input, new Set(unique.keys()));
  if (problems.length > 0) throw new InputError(problems, 'Cannot assemble the production rows:');
  const dates = dateInfos(input.actualsFrom, addDays(asOf, horizon), asOf);
  const actualDates = new Map<IsoDate, number>();
  dates.forEach((info, index) => info.day < 0 && actualDates.set(info.date, index));

  // Actual counts per stage, ACTUAL date and combination, summed over super-segments. The combinations are distinct,
  // so their ids are their indexes.
  const ids = new CombinationIds();
  for (const c of combinations) ids.add(c.channel, c.source);
  const width = combinations.length;
  const actuals = Object.fromEntries(STAGES.map((stage) => [stage, new Float64Array(actualDates.size * width)])) as Record<Stage, Float64Array>;
  for (const row of input.daily) {
    const date = actualDates.get(row.date);
    const combination = date === undefined ? -1 : ids.get(row.channel, row.source);
    if (combination < 0) continue;
    const cell = date! * width + combination;
    actuals.mqls[cell]! += row.mqls;
    actuals.sqls[cell]! += row.sqls;
    actuals.sqos[cell]! += row.sqos;
  }
  const columnOf = new Map(combinations.map((c, index) => [combinationKey(c), index]));
  const forecasts = Object.fromEntries(STAGES.map((stage) => [stage, stageForecasts(input.forecasts[stage], columnOf, horizon)])) as Record<Stage, StageForecasts>;
  const walks = combinations.map((combination, c) => ({
    combination,
    rate: input.rates.get(combinationKey(combination))!,
    mqls: new StageWalk(forecasts.mqls, c),
    sqls: new StageWalk(forecasts.sqls, c),
    sqos: new StageWalk(forecasts.sqos, c),
  }));

  // Made in the order they are returned (by date, then combination), each combination's walks stepping one date at a
  // time: every later pass over the rows (invariants, landings, the appender) then reads memory in the order it was
  // written, several times faster than jumping a date's worth of rows at every step.
  // Sized up front: grown by pushes, the array of 10^5 rows would be copied again and again as it grew.
  const rows = new Array<ProductionRow>(dates.length * width);
  let next = 0;
  dates.forEach((info, index) => {
    walks.forEach(({ combination, rate, mqls, sqls, sqos }, c) => {
      const actual = info.day < 0 ? index * width + c : -1;
      const m = mqls.cell(info, actual < 0 ? null : actuals.mqls[actual]!);
      const q = sqls.cell(info, actual < 0 ? null : actuals.sqls[actual]!);
      const o = sqos.cell(info, actual < 0 ? null : actuals.sqos[actual]!);
      // Spelled out as one literal so every row has the same shape (and the declared column order), which keeps
      // the many readers of these rows (invariants, landings, the appender) on V8's fast property paths.
      rows[next++] = {
        Channel_Grouping_Name: combination.channel,
        Original_source: combination.source,
        date_day: info.date,
        data_type: actual < 0 ? 'FORECAST' : 'ACTUAL',
        mqls_actual: m.actual, mqls_forecast: m.forecast, mqls_lower_95: m.lower95, mqls_lower_50: m.lower50,
        mqls_upper_50: m.upper50, mqls_upper_95: m.upper95, mqls_combined: m.combined, mqls_mtd: m.mtd, mqls_qtd: m.qtd,
        sqls_actual: q.actual, sqls_forecast: q.forecast, sqls_lower_95: q.lower95, sqls_lower_50: q.lower50,
        sqls_upper_50: q.upper50, sqls_upper_95: q.upper95, sqls_combined: q.combined, sqls_mtd: q.mtd, sqls_qtd: q.qtd,
        sqos_actual: o.actual, sqos_forecast: o.forecast, sqos_lower_95: o.lower95, sqos_lower_50: o.lower50,
        sqos_upper_50: o.upper50, sqos_upper_95: o.upper95, sqos_combined: o.combined, sqos_mtd: o.mtd, sqos_qtd: o.qtd,
        quarter: info.quarter,
        month: info.month,
        year: info.year,
        sql_to_sqo_rate: rate,
        mql_model: input.models.mqls,
        sql_model: input.models.sqls,
        run_id: input.runId,
        as_of: asOf,
        generated_at: input.generatedAt,
        mqls_own_var: m.ownVar, mqls_shared_sd: m.sharedSd,
        sqls_own_var: q.ownVar, sqls_shared_sd: q.sharedSd,
        sqos_own_var: o.ownVar, sqos_shared_sd: o.sharedSd,
      };
    });
  });
  return rows;
}

/**
 * A production row's values in {@link PRODUCTION_FORECAST}'s column order, read property by property: checking and
 * writing a run read every cell of up to hundreds of thousands of rows, and a lookup by a column name held in a
 * variable costs several plain reads. A test holds this list to the declaration. A reader done with one row's values
 * before it asks for the next passes the same `into` for every row: in a refresh's large heap, an array allocated per
 * row cost the publish of 1.6·10^5 rows several times what reading their cells did.
 */
export function productionRowValues(
  r: ProductionRow,
  into = new Array<string | number | null>(PRODUCTION_FORECAST.columns.length),
): (string | number | null)[] {
  let i = 0;
  into[i++] = r.Channel_Grouping_Name; into[i++] = r.Original_source; into[i++] = r.date_day; into[i++] = r.data_type;
  into[i++] = r.mqls_actual; into[i++] = r.mqls_forecast; into[i++] = r.mqls_lower_95; into[i++] = r.mqls_lower_50; into[i++] = r.mqls_upper_50;
  into[i++] = r.mqls_upper_95; into[i++] = r.mqls_combined; into[i++] = r.mqls_mtd; into[i++] = r.mqls_qtd;
  into[i++] = r.sqls_actual; into[i++] = r.sqls_forecast; into[i++] = r.sqls_lower_95; into[i++] = r.sqls_lower_50; into[i++] = r.sqls_upper_50;
  into[i++] = r.sqls_upper_95; into[i++] = r.sqls_combined; into[i++] = r.sqls_mtd; into[i++] = r.sqls_qtd;
  into[i++] = r.sqos_actual; into[i++] = r.sqos_forecast; into[i++] = r.sqos_lower_95; into[i++] = r.sqos_lower_50; into[i++] = r.sqos_upper_50;
  into[i++] = r.sqos_upper_95; into[i++] = r.sqos_combined; into[i++] = r.sqos_mtd; into[i++] = r.sqos_qtd;
  into[i++] = r.quarter; into[i++] = r.month; into[i++] = r.year; into[i++] = r.sql_to_sqo_rate; into[i++] = r.mql_model; into[i++] = r.sql_model;
  into[i++] = r.run_id; into[i++] = r.as_of; into[i++] = r.generated_at;
  into[i++] = r.mqls_own_var; into[i++] = r.mqls_shared_sd; into[i++] = r.sqls_own_var; into[i++] = r.sqls_shared_sd;
  into[i++] = r.sqos_own_var; into[i++] = r.sqos_shared_sd;
  return into;
}
