import { PRODUCTION_FORECAST, type ProductionRow } from './columns.js';
import { productionRowValues } from './assembly.js';
import { CombinationIds } from './combination-ids.js';
import { addDays } from './dates.js';
import type { Violation } from './errors.js';
import { STAGES, type Combination, type IsoDate, type Stage } from './vocabulary.js';

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

const COLUMNS = PRODUCTION_FORECAST.columns;
// Positions in productionRowValues(row) of the columns the declaration forbids to be NULL.
const REQUIRED = COLUMNS.flatMap((column, i) => (column.nullable ? [] : [i]));

const where = (row: ProductionRow) => `${row.date_day} ${row.Channel_Grouping_Name} / ${row.Original_source}`;
const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

// A stage's numeric fields, in this order: the bounds in published order (forecast in the middle), then the rest.
const FIELDS = ['lower_95', 'lower_50', 'forecast', 'upper_50', 'upper_95', 'actual', 'combined', 'mtd', 'qtd'] as const;
// Positions in FIELDS: the first BOUND_COUNT are the bounds.
const BOUND_COUNT = 5;
const FORECAST = 2;
const ACTUAL = 5;
const COMBINED = 6;
const MTD = 7;
const QTD = 8;
// Every field may be NULL here: a row from outside may hold one where the declaration forbids it.
type Value = number | null;
type RowValues = readonly (string | number | null)[];

// Where each of a stage's FIELDS sits in productionRowValues(row).
const positionsOf = (stage: Stage) => FIELDS.map((field) => COLUMNS.findIndex((column) => column.name === `${stage}_${field}`));
const STAGE_POSITIONS: Readonly<Record<Stage, readonly number[]>> = { mqls: positionsOf('mqls'), sqls: positionsOf('sqls'), sqos: positionsOf('sqos') };

/**
 * The values of one stage of one row: field `i` of FIELDS, read in place from the row's values (a stage's columns
 * are numeric, so the cast only narrows).
 */
class StageView {
  private readonly positions: readonly number[];
  constructor(
    private readonly values: RowValues,
    readonly stage: Stage,
  ) {
    this.positions = STAGE_POSITIONS[stage];
  }
  at(field: number): Value {
    return this.values[this.positions[field]!] as Value;
  }
}

/** The suffixes of the bounds that are (or are not) NULL, for messages. */
function boundsWhere(view: StageView, isNull: boolean): string[] {
  return FIELDS.slice(0, BOUND_COUNT).filter((_, i) => (view.at(i) === null) === isNull);
}

function checkStage(row: ProductionRow, view: StageView, log: RuleLog): void {
  const { stage } = view;
  for (let i = 0; i < FIELDS.length; i++) {
    const v = view.at(i);
    if (v === null) continue;
    if (!Number.isFinite(v)) log.add('finite', `${where(row)} ${stage}_${FIELDS[i]} = ${v}`);
    else if (v < 0) log.add('non-negative', `${where(row)} ${stage}_${FIELDS[i]} = ${v}`);
  }
  let nullBounds = 0;
  for (let i = 0; i < BOUND_COUNT; i++) if (view.at(i) === null) nullBounds++;
  if (row.data_type === 'FORECAST') {
    if (view.at(ACTUAL) !== null) log.add('FORECAST rows have NULL actuals', `${where(row)} ${stage}_actual = ${view.at(ACTUAL)}`);
    if (nullBounds > 0) {
      log.add('FORECAST rows have a forecast and all bounds', `${where(row)} ${stage}: ${boundsWhere(view, true).join(', ')} NULL`);
      return;
    }
    for (let i = 1; i < BOUND_COUNT; i++) {
      const below = view.at(i - 1) as number;
      const above = view.at(i) as number;
      if (below > above + 1e-9) log.add(`${FIELDS[i - 1]} <= ${FIELDS[i]}`, `${where(row)} ${stage}: ${FIELDS[i - 1]} ${below} > ${FIELDS[i]} ${above}`);
    }
    if (view.at(COMBINED) !== view.at(FORECAST)) log.add('combined = forecast on FORECAST rows', `${where(row)} ${stage}`);
  } else {
    if (nullBounds < BOUND_COUNT) log.add('ACTUAL rows have NULL forecast and bounds', `${where(row)} ${stage}: ${boundsWhere(view, false).join(', ')} set`);
    if (view.at(ACTUAL) === null) log.add('ACTUAL rows have an actual', `${where(row)} ${stage}_actual NULL`);
    else if (view.at(COMBINED) !== view.at(ACTUAL)) log.add('combined = actual on ACTUAL rows', `${where(row)} ${stage}`);
  }
}

// Where the running-sum check's fields sit among a row's copied-out values.
const RUNNING = [COMBINED, MTD, QTD] as const;
const RUNNING_PER_ROW = STAGES.length * RUNNING.length;

/**
 * What the running-sum check reads of each row — per stage its combined, MTD and QTD, and the row's month, quarter and
 * year — copied out in the pass that reads rows in their order: the check walks rows by combination and date, and
 * reading these few arrays instead of rows spread over the heap keeps that walk off a cache miss per row.
 */
class RunningInputs {
  private readonly numbers: Float64Array;
  private readonly nulls: Uint8Array;
  private readonly periods: unknown[];

  constructor(rows: number) {
    this.numbers = new Float64Array(rows * RUNNING_PER_ROW);
    this.nulls = new Uint8Array(rows * RUNNING_PER_ROW);
    this.periods = new Array<unknown>(rows * 3);
  }

  put(index: number, row: ProductionRow, views: readonly StageView[]): void {
    let at = index * RUNNING_PER_ROW;
    for (const view of views) {
      for (const field of RUNNING) {
        const value = view.at(field);
        if (value === null) this.nulls[at] = 1;
        else this.numbers[at] = value;
        at++;
      }
    }
    this.periods[index * 3] = row.month;
    this.periods[index * 3 + 1] = row.quarter;
    this.periods[index * 3 + 2] = row.year;
  }

  /** Field `RUNNING[slot]` of stage `stage` (its index in STAGES) of row `index`. */
  value(index: number, stage: number, slot: number): Value {
    const at = index * RUNNING_PER_ROW + stage * RUNNING.length + slot;
    return this.nulls[at] ? null : this.numbers[at]!;
  }

  /** Whether rows `a` and `b` share the year and the month (`period` 0) or the quarter (1). */
  samePeriod(a: number, b: number, period: 0 | 1): boolean {
    return this.periods[a * 3 + period] === this.periods[b * 3 + period] && this.periods[a * 3 + 2] === this.periods[b * 3 + 2];
  }
}

/** Each row's combination and date as small integers, numbered in order of first appearance: the checks index arrays. */
class RowGrains {
  readonly combination: Int32Array;
  readonly date: Int32Array;
  readonly dateIds = new Map<IsoDate, number>();
  readonly combinationIds = new CombinationIds();

  constructor(rows: readonly ProductionRow[]) {
    this.combination = new Int32Array(rows.length);
    this.date = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      this.combination[i] = this.combinationIds.add(row.Channel_Grouping_Name, row.Original_source);
      let date = this.dateIds.get(row.date_day);
      if (date === undefined) this.dateIds.set(row.date_day, (date = this.dateIds.size));
      this.date[i] = date;
    });
  }

  /**
   * Row indexes grouped by combination (in order of each one's first row), each group in date order, rows of the same
   * combination and date in input order: two stable counting sorts, by date, then by combination.
   */
  byCombinationThenDate(): Int32Array {
    const dates = [...this.dateIds.keys()];
    const rank = new Int32Array(dates.length);
    Array.from(dates.keys())
      .sort((a, b) => (dates[a]! < dates[b]! ? -1 : dates[a]! > dates[b]! ? 1 : 0))
      .forEach((id, position) => (rank[id] = position));
    const byDate = countingSort(Int32Array.from(this.date.keys()), this.date.map((date) => rank[date]!), dates.length);
    return countingSort(byDate, this.combination, this.combinationIds.size);
  }
}

/** Row indexes `items` stably sorted by `keyOf[item]`, an integer in `[0, keys)`. */
function countingSort(items: Int32Array, keyOf: Int32Array, keys: number): Int32Array {
  const next = new Int32Array(keys + 1);
  for (const item of items) next[keyOf[item]! + 1]!++;
  for (let key = 1; key <= keys; key++) next[key]! += next[key - 1]!;
  const sorted = new Int32Array(items.length);
  for (const item of items) sorted[next[keyOf[item]!]!++] = item;
  return sorted;
}

/** One step of a running sum: field `RUNNING[slot]` is `prior` (the day before's, or 0 at a period start) plus combined. */
function checkRunningStep(rows: readonly ProductionRow[], inputs: RunningInputs, index: number, stage: number, slot: 1 | 2, prior: Value, tolerance: number, log: RuleLog): void {
  const combined = inputs.value(index, stage, 0);
  const value = inputs.value(index, stage, slot);
  // A NULL is reported by its own rule; a running sum through it would only repeat that.
  if (prior === null || combined === null || value === null) return;
  const expected = prior + combined;
  if (!close(value, expected, tolerance)) {
    const suffix = FIELDS[RUNNING[slot]];
    log.add(`${suffix} is the running sum of combined`, `${where(rows[index]!)} ${STAGES[stage]}_${suffix} ${value} ≠ ${expected}`);
  }
}

/** MTD and QTD of each combination's rows, taken in date order (`order`), are running sums of `combined`. */
function checkRunningSums(rows: readonly ProductionRow[], grains: RowGrains, inputs: RunningInputs, order: Int32Array, tolerance: number, log: RuleLog): void {
  let before = -1;
  for (const index of order) {
    if (before >= 0 && grains.combination[before] !== grains.combination[index]) before = -1;
    // A second row of the same day is reported as a duplicate; it is no step of the running sum.
    if (before >= 0 && grains.date[before] === grains.date[index]) continue;
    const sameMonth = before >= 0 && inputs.samePeriod(before, index, 0);
    const sameQuarter = before >= 0 && inputs.samePeriod(before, index, 1);
    for (let stage = 0; stage < STAGES.length; stage++) {
      checkRunningStep(rows, inputs, index, stage, 1, sameMonth ? inputs.value(before, stage, 1) : 0, tolerance, log);
      checkRunningStep(rows, inputs, index, stage, 2, sameQuarter ? inputs.value(before, stage, 2) : 0, tolerance, log);
    }
    before = index;
  }
}

/** Marks each row whose combination and date an earlier row had: in `order`, it follows that row. */
function duplicatesOf(grains: RowGrains, order: Int32Array): Uint8Array {
  const duplicate = new Uint8Array(order.length);
  for (let k = 1; k < order.length; k++) {
    const [a, b] = [order[k - 1]!, order[k]!];
    if (grains.combination[a] === grains.combination[b] && grains.date[a] === grains.date[b]) duplicate[b] = 1;
  }
  return duplicate;
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
  const { rows, horizon } = input;
  const log = new RuleLog();
  const grains = new RowGrains(rows);
  const order = grains.byCombinationThenDate();
  const duplicate = duplicatesOf(grains, order);
  const sqlsPerDate = new Float64Array(grains.dateIds.size);
  const values = new Array<string | number | null>(COLUMNS.length);
  const views = STAGES.map((stage) => new StageView(values, stage));
  const running = new RunningInputs(rows.length);
  rows.forEach((row, i) => {
    if (duplicate[i]) log.add('one row per date and combination', where(row));
    productionRowValues(row, values);
    running.put(i, row, views);
    let nulls: string[] | undefined;
    for (const position of REQUIRED) if (values[position] == null) (nulls ??= []).push(COLUMNS[position]!.name);
    if (nulls) log.add('no NULL in a non-nullable column', `${where(row)}: ${nulls.join(', ')} NULL`);
    if ((row.data_type === 'FORECAST') !== (row.date_day >= input.asOf)) {
      log.add('ACTUAL before the as-of date, FORECAST from it', `${where(row)} is ${row.data_type}`);
    }
    for (const view of views) checkStage(row, view, log);
    if (row.data_type === 'FORECAST') sqlsPerDate[grains.date[i]!]! += row.sqls_forecast ?? 0;
  });
  checkRunningSums(rows, grains, running, order, tolerance, log);

  // Which active combination has a row on which horizon day: a grid as large as the loop below that reads it.
  const active = input.activeCombinations.map((c) => grains.combinationIds.get(c.channel, c.source));
  const activeIndex = new Int32Array(grains.combinationIds.size).fill(-1);
  active.forEach((id, a) => id >= 0 && activeIndex[id]! < 0 && (activeIndex[id] = a));
  const horizonDates = Array.from({ length: horizon }, (_, day) => addDays(input.asOf, day));
  const horizonDay = new Int32Array(grains.dateIds.size).fill(-1);
  horizonDates.forEach((date, day) => {
    const id = grains.dateIds.get(date);
    if (id !== undefined) horizonDay[id] = day;
  });
  const present = new Uint8Array(active.length * horizon);
  for (let i = 0; i < rows.length; i++) {
    const a = activeIndex[grains.combination[i]!]!;
    const day = horizonDay[grains.date[i]!]!;
    if (a >= 0 && day >= 0) present[a * horizon + day] = 1;
  }
  horizonDates.forEach((date, day) => {
    input.activeCombinations.forEach((combination, a) => {
      const first = active[a]! < 0 ? -1 : activeIndex[active[a]!]!;
      if (first < 0 || !present[first * horizon + day]) {
        log.add('every active combination on every horizon day', `${date} ${combination.channel} / ${combination.source} missing`);
      }
    });
    const expected = input.segmentSqlTotals.get(date) ?? 0;
    const id = grains.dateIds.get(date);
    const actual = id === undefined ? 0 : sqlsPerDate[id]!;
    if (!close(actual, expected, tolerance)) {
      log.add('SQLs sum to the super-segment totals', `${date}: Σ sqls_forecast ${actual} ≠ segments ${expected}`);
    }
  });
  return log.violations();
}
