import { ConfigError, createRng, fromDayNumber, mixSeed, sampleBinomial, samplePoisson, toDayNumber, type IsoDate, type Rng } from '@funnelcast/core';
import type { CountGrid } from './count-grid.js';
import { resolveDemoOptions, resolveWindow, type DemoOptions } from './demo-options.js';
import { demoProcess, type DemoProcess } from './demo-process.js';
import { NO_DAY, simulateLeads } from './simulate-leads.js';

/**
 * Independent realisations of the daily counts of every cell over `[from, from + days)`, given the snapshot of the
 * demo's leads at `from`. Draw `d`'s count of a cell on a day is at `(d * cells.length + cell) * days + day` of each
 * stage's array; {@link drawGrid} gives one draw as a {@link CountGrid}.
 */
export interface FutureDraws {
  readonly from: IsoDate;
  readonly days: number;
  readonly cells: CountGrid['cells'];
  readonly count: number;
  readonly mqls: Int32Array;
  readonly sqls: Int32Array;
  readonly sqos: Int32Array;
  /**
   * The exact expectation given the snapshot (what the draws average to): the perfect forecaster that also sees
   * the leads already in the pipeline.
   */
  readonly mean: CountGrid<Float64Array>;
}

/** One draw of {@link FutureDraws} as a grid (views, no copy). */
export function drawGrid(draws: FutureDraws, draw: number): CountGrid<Int32Array> {
  if (!Number.isInteger(draw) || draw < 0 || draw >= draws.count) {
    throw new RangeError(`draw must be an integer in [0, ${draws.count}), got ${draw}`);
  }
  const size = draws.cells.length * draws.days;
  const view = (array: Int32Array) => array.subarray(draw * size, (draw + 1) * size);
  return { from: draws.from, days: draws.days, cells: draws.cells, mqls: view(draws.mqls), sqls: view(draws.sqls), sqos: view(draws.sqos) };
}

/** Leads of the snapshot still able to convert: `count` of them entered their stage `age` days before `from`. */
interface Pending {
  readonly cell: number;
  readonly age: number;
  readonly count: number;
  /** Conditional probability of converting `age + i` days after entering, for i = 0, 1, …, given not yet. */
  readonly probabilities: Float64Array;
}

/**
 * The snapshot at `from` of the leads `options` generate, reduced to what can still convert: MQLs with no SQL yet
 * (by cell and age) and SQLs with no SQO yet. Their conversion chances are conditional on not having converted in
 * the `age` days already passed: `rate·lag(k) / (1 − rate·P(lag < age))` for `k ≥ age`.
 */
function pipelineAt(process: DemoProcess, seed: number, fromDay: number): { mqls: Pending[]; sqls: Pending[] } {
  const sqlReach = process.sqlLag.length - 1;
  const sqoReach = process.sqoLag.length - 1;
  const cellCount = process.cells.length;
  const openMqls = new Int32Array(cellCount * (sqlReach + 1));
  const openSqls = new Int32Array(cellCount * (sqoReach + 1));
  const startDay = toDayNumber(process.start);
  simulateLeads(process, seed, Math.max(startDay, fromDay - sqlReach - sqoReach), fromDay, fromDay, (cell, mql, sql, sqo) => {
    const mqlAge = fromDay - mql;
    if (sql === NO_DAY && mqlAge <= sqlReach) openMqls[cell * (sqlReach + 1) + mqlAge] = (openMqls[cell * (sqlReach + 1) + mqlAge] ?? 0) + 1;
    if (sql !== NO_DAY && sqo === NO_DAY && fromDay - sql <= sqoReach) {
      const at = cell * (sqoReach + 1) + fromDay - sql;
      openSqls[at] = (openSqls[at] ?? 0) + 1;
    }
  });
  const pending = (open: Int32Array, reach: number, lag: readonly number[], rateOf: (cell: number, age: number) => number) => {
    const out: Pending[] = [];
    for (let cell = 0; cell < cellCount; cell++) {
      for (let age = 1; age <= reach; age++) {
        const count = open[cell * (reach + 1) + age] ?? 0;
        if (count === 0) continue;
        const rate = rateOf(cell, age);
        let passed = 0;
        for (let k = 0; k < age; k++) passed += lag[k] ?? 0;
        const remaining = 1 - rate * passed;
        const probabilities = new Float64Array(reach - age + 1);
        for (let k = age; k <= reach; k++) probabilities[k - age] = (rate * (lag[k] ?? 0)) / remaining;
        out.push({ cell, age, count, probabilities });
      }
    }
    return out;
  };
  const combinationOf = (cell: number) => process.cells[cell]?.combination ?? 0;
  return {
    mqls: pending(openMqls, sqlReach, process.sqlLag, (cell, age) => process.sqlRateAt(fromDay - age, combinationOf(cell))),
    sqls: pending(openSqls, sqoReach, process.sqoLag, (cell) => process.combinations[combinationOf(cell)]?.sqoRate ?? 0),
  };
}

/**
 * Splits `n` leads over consecutive days by a multinomial with per-day probabilities `probabilities` (the rest never
 * converts or converts after the window), adding the counts to `target` from `offset` on, at most `limit` days.
 */
function scatter(rng: Rng, n: number, probabilities: ArrayLike<number>, target: Int32Array, offset: number, limit: number): void {
  let left = n;
  let mass = 1;
  const last = Math.min(probabilities.length, limit);
  for (let i = 0; i < last && left > 0; i++) {
    const p = probabilities[i] ?? 0;
    if (p <= 0) continue;
    const x = sampleBinomial(rng, left, Math.min(1, p / mass));
    mass -= p;
    if (x === 0) continue;
    target[offset + i] = (target[offset + i] ?? 0) + x;
    left -= x;
  }
}

/**
 * `count` independent realisations of every cell's daily MQLs, SQLs and SQOs over `[from, to)`, given the snapshot
 * of `generateLeads(options)` at `from`: MQLs already without an SQL and SQLs without an SQO convert by their
 * conditional lag chances, new MQLs arrive as the process's Poisson counts and convert through the lags. Stages of
 * one lead stay joint (a draw's SQOs come from that draw's SQLs). `seed` picks the draws; `options.seed` the history.
 * Given a snapshot, SQL and SQO counts are not Poisson (the pipeline is a sum of Bernoulli trials), which is why
 * draws are offered besides the analytic `expectedDailyCounts`.
 */
export function drawFutures(options: DemoOptions, from: IsoDate, to: IsoDate, count: number, seed: number): FutureDraws {
  const resolved = resolveDemoOptions(options);
  const { fromDay, toDay } = resolveWindow(from, to);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    throw new ConfigError(
      [
        ...(Number.isInteger(count) && count >= 1 ? [] : [{ where: 'count', message: 'must be a positive integer' }]),
        ...(Number.isInteger(seed) ? [] : [{ where: 'seed', message: 'must be an integer' }]),
      ],
      'Invalid demo draws:',
    );
  }
  const process = demoProcess(resolved);
  const days = toDay - fromDay;
  const cells = process.cells;
  const size = cells.length * days;
  const pipeline = pipelineAt(process, resolved.seed, fromDay);

  const mqlMean = new Float64Array(size);
  const sqlRate = new Float64Array(size);
  cells.forEach((cell, index) => {
    for (let t = 0; t < days; t++) {
      mqlMean[index * days + t] = process.mqlMean(fromDay + t, cell.combination) * cell.share;
      sqlRate[index * days + t] = process.sqlRateAt(fromDay + t, cell.combination);
    }
  });
  const sqoRateOf = cells.map((cell) => process.combinations[cell.combination]?.sqoRate ?? 0);
  const mean = conditionalMean(process, pipeline, fromDay, days, mqlMean, sqlRate, sqoRateOf);

  const mqls = new Int32Array(size * count);
  const sqls = new Int32Array(size * count);
  const sqos = new Int32Array(size * count);
  const sqlLag = Float64Array.from(process.sqlLag);
  const sqoLag = Float64Array.from(process.sqoLag);
  const scaledSqlLag = new Float64Array(sqlLag.length);
  const scaledSqoLag = new Float64Array(sqoLag.length);
  const cellsOf = process.combinations.map((_, index) => cells.flatMap((cell, at) => (cell.combination === index ? [at] : [])));
  for (let draw = 0; draw < count; draw++) {
    const rng = createRng(mixSeed(seed, draw, 0x5eed));
    const base = draw * size;
    for (const open of pipeline.mqls) scatter(rng, open.count, open.probabilities, sqls, base + open.cell * days, days);
    for (const open of pipeline.sqls) scatter(rng, open.count, open.probabilities, sqos, base + open.cell * days, days);
    for (let t = 0; t < days; t++) {
      // New MQLs: one Poisson count per combination, split between its segments as the generator does per lead.
      cellsOf.forEach((members) => {
        const first = members[0];
        if (first === undefined) return;
        let total = 0;
        for (const at of members) total += mqlMean[at * days + t] ?? 0;
        let left = samplePoisson(rng, total);
        let mass = 1;
        members.forEach((at, i) => {
          const share = cells[at]?.share ?? 0;
          const x = i === members.length - 1 ? left : sampleBinomial(rng, left, Math.min(1, share / mass));
          mass -= share;
          left -= x;
          mqls[base + at * days + t] = x;
          const rate = sqlRate[at * days + t] ?? 0;
          for (let k = 0; k < sqlLag.length; k++) scaledSqlLag[k] = rate * (sqlLag[k] ?? 0);
          scatter(rng, x, scaledSqlLag, sqls, base + at * days + t, days - t);
        });
      });
    }
    // SQLs of the window (from the pipeline and from new MQLs) turn into SQOs through the SQO lag.
    cells.forEach((_, at) => {
      const rate = sqoRateOf[at] ?? 0;
      for (let j = 0; j < sqoLag.length; j++) scaledSqoLag[j] = rate * (sqoLag[j] ?? 0);
      for (let t = 0; t < days; t++) {
        const n = sqls[base + at * days + t] ?? 0;
        if (n > 0) scatter(rng, n, scaledSqoLag, sqos, base + at * days + t, days - t);
      }
    });
  }
  return { from: fromDayNumber(fromDay), days, cells, count, mqls, sqls, sqos, mean };
}

function conditionalMean(
  process: DemoProcess,
  pipeline: { mqls: Pending[]; sqls: Pending[] },
  fromDay: number,
  days: number,
  mqlMean: Float64Array,
  sqlRate: Float64Array,
  sqoRateOf: readonly number[],
): CountGrid<Float64Array> {
  const size = process.cells.length * days;
  const sqls = new Float64Array(size);
  const sqos = new Float64Array(size);
  const spread = (target: Float64Array, offset: number, amount: number, probabilities: ArrayLike<number>, limit: number) => {
    const last = Math.min(probabilities.length, limit);
    for (let i = 0; i < last; i++) target[offset + i] = (target[offset + i] ?? 0) + amount * (probabilities[i] ?? 0);
  };
  for (const open of pipeline.mqls) spread(sqls, open.cell * days, open.count, open.probabilities, days);
  for (const open of pipeline.sqls) spread(sqos, open.cell * days, open.count, open.probabilities, days);
  for (let at = 0; at < process.cells.length; at++) {
    for (let t = 0; t < days; t++) {
      const i = at * days + t;
      spread(sqls, i, (mqlMean[i] ?? 0) * (sqlRate[i] ?? 0), process.sqlLag, days - t);
    }
    // Every SQL of the cell is in place before any of them spreads into SQOs.
    for (let t = 0; t < days; t++) {
      const i = at * days + t;
      spread(sqos, i, (sqls[i] ?? 0) * (sqoRateOf[at] ?? 0), process.sqoLag, days - t);
    }
  }
  return { from: fromDayNumber(fromDay), days, cells: process.cells, mqls: mqlMean, sqls, sqos };
}
