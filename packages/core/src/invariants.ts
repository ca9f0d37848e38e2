import { PRODUCTION_FORECAST, type ProductionRow } from './columns.js';
import { productionRowValues } from './assembly.js';
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

/**
 * Rows keyed by date, channel and source in nested maps. Keys built by concatenation would be fresh strings to hash
 * and compare on every lookup; the row's own strings are shared across rows, so nested lookups stay cheap.
 */
class GrainIndex<T> {
  private readonly byFirst = new Map<string, Map<string, Map<string, T>>>();
  get(a: string, b: string, c: string): T | undefined {
    return this.byFirst.get(a)?.get(b)?.get(c);
  }
  set(a: string, b: string, c: string, value: T): void {
    let second = this.byFirst.get(a);
    if (!second) this.byFirst.set(a, (second = new Map()));
    let third = second.get(b);
    if (!third) second.set(b, (third = new Map()));
    third.set(c, value);
  }
}

/** One step of a running sum: `field` is `prior` (the day before's, or 0 at a period start) plus combined. */
function checkRunningStep(row: ProductionRow, view: StageView, field: typeof MTD | typeof QTD, prior: Value, tolerance: number, log: RuleLog): void {
  const combined = view.at(COMBINED);
  const value = view.at(field);
  // A NULL is reported by its own rule; a running sum through it would only repeat that.
  if (prior == null || combined == null || value == null) return;
  const expected = prior + combined;
  if (!close(value, expected, tolerance)) {
    const suffix = FIELDS[field];
    log.add(`${suffix} is the running sum of combined`, `${where(row)} ${view.stage}_${suffix} ${value} ≠ ${expected}`);
  }
}

/** A row with its values in column order, read once. */
interface RowEntry {
  readonly row: ProductionRow;
  readonly values: RowValues;
}

/** Rows grouped by channel, then source (nested, for the reason GrainIndex gives), in order of each one's first row. */
class CombinationGroups {
  private readonly byChannel = new Map<string, Map<string, RowEntry[]>>();
  readonly lists: RowEntry[][] = [];

  add(entry: RowEntry): void {
    const { Channel_Grouping_Name: channel, Original_source: source } = entry.row;
    let bySource = this.byChannel.get(channel);
    if (!bySource) this.byChannel.set(channel, (bySource = new Map()));
    let list = bySource.get(source);
    if (!list) {
      bySource.set(source, (list = []));
      this.lists.push(list);
    }
    list.push(entry);
  }
}

/** MTD and QTD of each combination's rows, taken in date order, are running sums of `combined`. */
function checkRunningSums(lists: readonly RowEntry[][], tolerance: number, log: RuleLog): void {
  for (const list of lists) {
    list.sort((a, b) => (a.row.date_day < b.row.date_day ? -1 : a.row.date_day > b.row.date_day ? 1 : 0));
    let before: ProductionRow | undefined;
    let beforeValues: RowValues = [];
    for (const { row, values } of list) {
      // A second row of the same day is reported as a duplicate; it is no step of the running sum.
      if (before?.date_day === row.date_day) continue;
      const sameMonth = before?.month === row.month && before.year === row.year;
      const sameQuarter = before?.quarter === row.quarter && before.year === row.year;
      for (const stage of STAGES) {
        const current = new StageView(values, stage);
        const previous = new StageView(beforeValues, stage);
        checkRunningStep(row, current, MTD, sameMonth ? previous.at(MTD) : 0, tolerance, log);
        checkRunningStep(row, current, QTD, sameQuarter ? previous.at(QTD) : 0, tolerance, log);
      }
      beforeValues = values;
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
  const seen = new GrainIndex<true>();
  const sqlsPerDay = new Map<IsoDate, number>();
  const groups = new CombinationGroups();
  for (const row of input.rows) {
    if (seen.get(row.date_day, row.Channel_Grouping_Name, row.Original_source)) log.add('one row per date and combination', where(row));
    seen.set(row.date_day, row.Channel_Grouping_Name, row.Original_source, true);
    const values = productionRowValues(row);
    groups.add({ row, values });
    let nulls: string[] | undefined;
    for (const position of REQUIRED) if (values[position] == null) (nulls ??= []).push(COLUMNS[position]!.name);
    if (nulls) log.add('no NULL in a non-nullable column', `${where(row)}: ${nulls.join(', ')} NULL`);
    if ((row.data_type === 'FORECAST') !== (row.date_day >= input.asOf)) {
      log.add('ACTUAL before the as-of date, FORECAST from it', `${where(row)} is ${row.data_type}`);
    }
    for (const stage of STAGES) checkStage(row, new StageView(values, stage), log);
    if (row.data_type === 'FORECAST') sqlsPerDay.set(row.date_day, (sqlsPerDay.get(row.date_day) ?? 0) + (row.sqls_forecast ?? 0));
  }
  checkRunningSums(groups.lists, tolerance, log);
  for (let day = 0; day < input.horizon; day++) {
    const date = addDays(input.asOf, day);
    for (const combination of input.activeCombinations) {
      if (!seen.get(date, combination.channel, combination.source)) {
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
