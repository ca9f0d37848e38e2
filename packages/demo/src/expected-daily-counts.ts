import { fromDayNumber, type IsoDate } from '@funnelcast/core';
import { sumBySegment, type CountGrid } from './count-grid.js';
import { resolveWindow, type DemoOptions } from './demo-options.js';
import { demoProcess, type DemoProcess } from './demo-process.js';

/**
 * The exact expected MQLs, SQLs and SQOs of every cell on every day of `[from, to)` — the perfect forecaster that
 * knows the process but not the realisation. SQLs are the expected MQLs convolved with the SQL lag (leads from
 * before `from` converting inside the window included); SQOs the expected SQLs convolved with the SQO lag. Every
 * value is the mean of an exactly Poisson count (see `expectedIsPoisson`).
 */
export function expectedDailyCounts(options: DemoOptions, from: IsoDate, to: IsoDate): CountGrid<Float64Array> {
  const process = demoProcess(options);
  const { fromDay, toDay } = resolveWindow(from, to);
  return expectedGrid(process, fromDay, toDay);
}

/** {@link expectedDailyCounts} of a process over day numbers `[fromDay, toDay)`. */
export function expectedGrid(process: DemoProcess, fromDay: number, toDay: number): CountGrid<Float64Array> {
  const days = toDay - fromDay;
  const sqlReach = process.sqlLag.length - 1;
  const sqoReach = process.sqoLag.length - 1;
  // SQOs look back over SQLs, which look back over MQLs: expected SQLs are needed from `fromDay − sqoReach`.
  const sqlFrom = fromDay - sqoReach;
  const span = toDay - sqlFrom;
  const cells = process.cells;
  const mqls = new Float64Array(cells.length * days);
  const sqls = new Float64Array(cells.length * days);
  const sqos = new Float64Array(cells.length * days);
  const sqlWide = new Float64Array(span);
  cells.forEach((cell, index) => {
    const combination = process.combinations[cell.combination];
    const sqoRate = combination?.sqoRate ?? 0;
    sqlWide.fill(0);
    for (let m = sqlFrom - sqlReach; m < toDay; m++) {
      const mean = process.mqlMean(m, cell.combination) * cell.share;
      if (mean === 0) continue;
      if (m >= fromDay) mqls[index * days + m - fromDay] = mean;
      const converting = mean * process.sqlRateAt(m, cell.combination);
      for (let k = 0; k <= sqlReach; k++) {
        const t = m + k - sqlFrom;
        if (t >= 0 && t < span) sqlWide[t] = (sqlWide[t] ?? 0) + converting * (process.sqlLag[k] ?? 0);
      }
    }
    for (let t = 0; t < days; t++) {
      sqls[index * days + t] = sqlWide[t + sqoReach] ?? 0;
      let sqo = 0;
      for (let j = 0; j <= sqoReach; j++) sqo += (sqlWide[t + sqoReach - j] ?? 0) * (process.sqoLag[j] ?? 0);
      sqos[index * days + t] = sqo * sqoRate;
    }
  });
  return { from: fromDayNumber(fromDay), days, cells, mqls, sqls, sqos };
}

/** Expected daily counts of one super-segment (all its cells added up). */
export interface SegmentDailyExpectation {
  readonly date: IsoDate;
  readonly superSegment: string;
  readonly mqls: number;
  readonly sqls: number;
  readonly sqos: number;
}

/** {@link expectedDailyCounts} summed per super-segment, as rows by date then segment. */
export function expectedSegmentDailyCounts(options: DemoOptions, from: IsoDate, to: IsoDate): SegmentDailyExpectation[] {
  const grid = expectedDailyCounts(options, from, to);
  const bySegment = [...sumBySegment(grid)];
  const { fromDay } = resolveWindow(from, to);
  const rows: SegmentDailyExpectation[] = [];
  for (let day = 0; day < grid.days; day++) {
    const date = fromDayNumber(fromDay + day);
    for (const [superSegment, series] of bySegment) {
      rows.push({ date, superSegment, mqls: series.mqls[day] ?? 0, sqls: series.sqls[day] ?? 0, sqos: series.sqos[day] ?? 0 });
    }
  }
  return rows;
}
