import { PRODUCTION_FORECAST, type ProductionRow } from './columns.js';
import { addDays } from './dates.js';
import type { Violation } from './errors.js';
import { combinationKey, STAGES, type Combination, type IsoDate, type Stage } from './vocabulary.js';

/** What {@link checkInvariants} needs. */
export interface InvariantInput {
  readonly rows: readonly ProductionRow[];
  readonly asOf: IsoDate;
  readonly horizon: number;
  /** Combinations that must be present on every horizon day. */
  readonly activeCombinations: readonly Combination[];
  /** Σ of the distributed super-segment SQL means per forecast day: the fine grain must add back to it. */
  readonly segmentSqlTotals: ReadonlyMap<IsoDate, number>;
  /** Relative tolerance of sums. @defaultValue 1e-6 */
  readonly tolerance?: number;
}

const EXAMPLES = 5;

/** Collects rows that break one rule, keeping the count and a few examples. */
class RuleLog {
  private readonly broken = new Map<string, { count: number; examples: string[] }>();
  add(rule: string, example: string): void {
    const entry = this.broken.get(rule) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < EXAMPLES) entry.examples.push(example);
    this.broken.set(rule, entry);
  }
  violations(): Violation[] {
    return [...this.broken].map(([rule, { count, examples }]) => ({ rule, count, examples }));
  }
}

const REQUIRED_COLUMNS = PRODUCTION_FORECAST.columns.filter((column) => !column.nullable).map((column) => column.name);

const where = (row: ProductionRow) => `${row.date_day} ${row.Channel_Grouping_Name} / ${row.Original_source}`;
const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

function checkStage(row: ProductionRow, stage: Stage, log: RuleLog): void {
  const value = (suffix: string) => row[`${stage}_${suffix}` as keyof ProductionRow] as number | null;
  const forecast = row.data_type === 'FORECAST';
  const bounds = ['lower_95', 'lower_50', 'forecast', 'upper_50', 'upper_95'] as const;
  for (const field of [...bounds, 'actual', 'combined', 'mtd', 'qtd']) {
    const v = value(field);
    if (v === null) continue;
    if (!Number.isFinite(v)) log.add('finite', `${where(row)} ${stage}_${field} = ${v}`);
    else if (v < 0) log.add('non-negative', `${where(row)} ${stage}_${field} = ${v}`);
  }
  if (forecast) {
    if (value('actual') !== null) log.add('FORECAST rows have NULL actuals', `${where(row)} ${stage}_actual = ${value('actual')}`);
    const missing = bounds.filter((field) => value(field) === null);
    if (missing.length > 0) {
      log.add('FORECAST rows have a forecast and all bounds', `${where(row)} ${stage}: ${missing.join(', ')} NULL`);
      return;
    }
    for (let i = 1; i < bounds.length; i++) {
      const below = value(bounds[i - 1]!)!;
      const above = value(bounds[i]!)!;
      if (below > above + 1e-9) log.add(`${bounds[i - 1]} <= ${bounds[i]}`, `${where(row)} ${stage}: ${bounds[i - 1]} ${below} > ${bounds[i]} ${above}`);
    }
    if (value('combined') !== value('forecast')) log.add('combined = forecast on FORECAST rows', `${where(row)} ${stage}`);
  } else {
    const filled = bounds.filter((field) => value(field) !== null);
    if (filled.length > 0) log.add('ACTUAL rows have NULL forecast and bounds', `${where(row)} ${stage}: ${filled.join(', ')} set`);
    if (value('actual') === null) log.add('ACTUAL rows have an actual', `${where(row)} ${stage}_actual NULL`);
    else if (value('combined') !== value('actual')) log.add('combined = actual on ACTUAL rows', `${where(row)} ${stage}`);
  }
}

/** MTD and QTD of each combination's rows, taken in date order, are running sums of `combined`. */
function checkRunningSums(rows: readonly ProductionRow[], tolerance: number, log: RuleLog): void {
  const byCombination = new Map<string, ProductionRow[]>();
  for (const row of rows) {
    const combination = combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source });
    const list = byCombination.get(combination);
    if (list) list.push(row);
    else byCombination.set(combination, [row]);
  }
  for (const list of byCombination.values()) {
    list.sort((a, b) => (a.date_day < b.date_day ? -1 : a.date_day > b.date_day ? 1 : 0));
    let before: ProductionRow | undefined;
    for (const row of list) {
      // A second row of the same day is reported as a duplicate; it is no step of the running sum.
      if (before?.date_day === row.date_day) continue;
      for (const stage of STAGES) {
        for (const [suffix, sameSpan] of [['mtd', before?.month === row.month && before.year === row.year], ['qtd', before?.quarter === row.quarter && before.year === row.year]] as const) {
          const previous: number | null = sameSpan ? before![`${stage}_${suffix}`] : 0;
          const combined: number | null = row[`${stage}_combined`];
          // A NULL is reported by its own rule; a running sum through it would only repeat that.
          if (previous == null || combined == null || row[`${stage}_${suffix}`] == null) continue;
          const expected = previous + combined;
          if (!close(row[`${stage}_${suffix}`], expected, tolerance)) {
            log.add(`${suffix} is the running sum of combined`, `${where(row)} ${stage}_${suffix} ${row[`${stage}_${suffix}`]} ≠ ${expected}`);
          }
        }
      }
      before = row;
    }
  }
}

/**
 * Every invariant a run must hold before it is published (design.md step 7): bound order, non-negative and finite
 * values, NULLs where the row type says and nowhere the declaration forbids, every active combination on every
 * horizon day, one row per day and combination, SQLs coherent with the segment totals, and MTD/QTD consistent with
 * the combined values. Returns each broken rule with a count and examples; an empty list means the run may be
 * published.
 */
export function checkInvariants(input: InvariantInput): Violation[] {
  const tolerance = input.tolerance ?? 1e-6;
  const log = new RuleLog();
  const seen = new Set<string>();
  const sqlsPerDay = new Map<IsoDate, number>();
  for (const row of input.rows) {
    const combination = combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source });
    const id = `${row.date_day}|${combination}`;
    if (seen.has(id)) log.add('one row per date and combination', where(row));
    seen.add(id);
    const nulls = REQUIRED_COLUMNS.filter((name) => row[name] == null);
    if (nulls.length > 0) log.add('no NULL in a non-nullable column', `${where(row)}: ${nulls.join(', ')} NULL`);
    if ((row.data_type === 'FORECAST') !== (row.date_day >= input.asOf)) {
      log.add('ACTUAL before the as-of date, FORECAST from it', `${where(row)} is ${row.data_type}`);
    }
    for (const stage of STAGES) checkStage(row, stage, log);
    if (row.data_type === 'FORECAST') sqlsPerDay.set(row.date_day, (sqlsPerDay.get(row.date_day) ?? 0) + (row.sqls_forecast ?? 0));
  }
  checkRunningSums(input.rows, tolerance, log);
  for (let day = 0; day < input.horizon; day++) {
    const date = addDays(input.asOf, day);
    for (const combination of input.activeCombinations) {
      if (!seen.has(`${date}|${combinationKey(combination)}`)) {
        log.add('every active combination on every horizon day', `${date} ${combination.channel} / ${combination.source} missing`);
      }
    }
    const expected = input.segmentSqlTotals.get(date) ?? 0;
    const actual = sqlsPerDay.get(date) ?? 0;
    if (!close(actual, expected, tolerance)) {
      log.add('SQLs sum to the super-segment totals', `${date}: Σ sqls_forecast ${actual} ≠ segments ${expected}`);
    }
  }
  return log.violations();
}
