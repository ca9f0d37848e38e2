import type { ProductionRow } from './columns.js';
import { countBounds, sumBounds, varianceFromInterval } from './count-distribution.js';
import { addDays, calendarParts, dateRange, daysBetween, startOfMonth, startOfQuarter } from './dates.js';
import { InputError, type Problem } from './errors.js';
import { compareCombinations } from './mapping.js';
import type { DailyCounts, PredictiveSeries } from './ports.js';
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

type StageFields = {
  [S in Stage as `${S}_${'actual' | 'forecast' | 'lower_95' | 'lower_50' | 'upper_50' | 'upper_95' | 'combined' | 'mtd' | 'qtd'}`]: number | null;
};

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
  const actuals = new Map<string, { mqls: number; sqls: number; sqos: number }>();
  for (const row of input.daily) {
    if (row.date < input.actualsFrom || row.date >= asOf) continue;
    const key = `${combinationKey(row)}|${row.date}`;
    const cell = actuals.get(key) ?? { mqls: 0, sqls: 0, sqos: 0 };
    cell.mqls += row.mqls;
    cell.sqls += row.sqls;
    cell.sqos += row.sqos;
    actuals.set(key, cell);
  }
  const forecasts = Object.fromEntries(
    STAGES.map((stage) => [stage, new Map(input.forecasts[stage].map((series) => [series.key, series]))]),
  ) as Record<Stage, Map<string, PredictiveSeries>>;

  const dates = dateRange(input.actualsFrom, addDays(asOf, horizon));
  const rows: ProductionRow[] = [];
  const byCombination: ProductionRow[][] = [];
  for (const combination of combinations) {
    const key = combinationKey(combination);
    const rate = input.rates.get(key)!;
    const running = { month: '', quarter: '', mtd: { mqls: 0, sqls: 0, sqos: 0 }, qtd: { mqls: 0, sqls: 0, sqos: 0 } };
    const combinationRows: ProductionRow[] = [];
    for (const date of dates) {
      const isActual = date < asOf;
      const month = startOfMonth(date);
      const quarter = startOfQuarter(date);
      if (month !== running.month) running.mtd = { mqls: 0, sqls: 0, sqos: 0 };
      if (quarter !== running.quarter) running.qtd = { mqls: 0, sqls: 0, sqos: 0 };
      running.month = month;
      running.quarter = quarter;
      const fields = {} as StageFields;
      const actual = isActual ? (actuals.get(`${key}|${date}`) ?? { mqls: 0, sqls: 0, sqos: 0 }) : null;
      for (const stage of STAGES) {
        let combined: number;
        if (actual) {
          combined = actual[stage];
          Object.assign(fields, {
            [`${stage}_actual`]: combined,
            [`${stage}_forecast`]: null,
            [`${stage}_lower_95`]: null,
            [`${stage}_lower_50`]: null,
            [`${stage}_upper_50`]: null,
            [`${stage}_upper_95`]: null,
          });
        } else {
          const series = forecasts[stage].get(key);
          const day = daysBetween(asOf, date);
          const mean = Math.max(0, series?.mean[day] ?? 0);
          const bounds = countBounds(mean, series?.variance[day] ?? 0);
          combined = mean;
          Object.assign(fields, {
            [`${stage}_actual`]: null,
            [`${stage}_forecast`]: mean,
            [`${stage}_lower_95`]: bounds.lower95,
            [`${stage}_lower_50`]: bounds.lower50,
            [`${stage}_upper_50`]: bounds.upper50,
            [`${stage}_upper_95`]: bounds.upper95,
          });
        }
        running.mtd[stage] += combined;
        running.qtd[stage] += combined;
        Object.assign(fields, {
          [`${stage}_combined`]: combined,
          [`${stage}_mtd`]: running.mtd[stage],
          [`${stage}_qtd`]: running.qtd[stage],
        });
      }
      const parts = calendarParts(date);
      combinationRows.push({
        Channel_Grouping_Name: combination.channel,
        Original_source: combination.source,
        date_day: date,
        data_type: isActual ? 'ACTUAL' : 'FORECAST',
        ...(fields as unknown as Pick<ProductionRow, keyof StageFields>),
        quarter: parts.quarter,
        month: parts.month,
        year: parts.year,
        sql_to_sqo_rate: rate,
        mql_model: input.models.mqls,
        sql_model: input.models.sqls,
        run_id: input.runId,
        as_of: asOf,
        generated_at: input.generatedAt,
      });
    }
    byCombination.push(combinationRows);
  }
  // Interleave per date so rows come out sorted by date, then by combination.
  for (let i = 0; i < dates.length; i++) for (const combinationRows of byCombination) rows.push(combinationRows[i]!);
  return rows;
}

/** What {@link landing} needs. */
export interface LandingInput {
  readonly rows: readonly ProductionRow[];
  readonly stage: Stage;
  /** First day of the period. */
  readonly from: IsoDate;
  /** End of the period (exclusive). */
  readonly to: IsoDate;
  /**
   * Predictive variance per forecast cell keyed `combinationKey|date`; a cell missing here gets the variance its
   * published 95% bounds imply ({@link varianceFromInterval}).
   */
  readonly variances: ReadonlyMap<string, number>;
}

/** Where a stage lands over a period, and how sure we are. */
export interface Landing {
  readonly actualToDate: number;
  readonly forecastRemaining: number;
  readonly landing: number;
  readonly lower50: number;
  readonly upper50: number;
  readonly lower95: number;
  readonly upper95: number;
}

/**
 * Actual to date plus the forecast of the rest of a period, with the interval of the total from the cells'
 * predictive variances (cells assumed independent).
 */
export function landing(input: LandingInput): Landing {
  const { stage, from, to } = input;
  let actualToDate = 0;
  const cells: { mean: number; variance: number }[] = [];
  for (const row of input.rows) {
    if (row.date_day < from || row.date_day >= to) continue;
    const actual = row[`${stage}_actual`];
    const forecast = row[`${stage}_forecast`];
    if (actual !== null) actualToDate += actual;
    if (forecast !== null) {
      const key = `${combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source })}|${row.date_day}`;
      const variance = input.variances.get(key) ?? varianceFromInterval(forecast, row[`${stage}_lower_95`] ?? forecast, row[`${stage}_upper_95`] ?? forecast);
      cells.push({ mean: forecast, variance });
    }
  }
  const total = sumBounds(cells);
  return {
    actualToDate,
    forecastRemaining: total.mean,
    landing: actualToDate + total.mean,
    lower50: actualToDate + total.lower50,
    upper50: actualToDate + total.upper50,
    lower95: actualToDate + total.lower95,
    upper95: actualToDate + total.upper95,
  };
}
