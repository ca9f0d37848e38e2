import { combinationKey, fromDayNumber, toDayNumber, type DailyCounts, type IsoDate, type Stage } from '@funnelcast/core';
import type { DemoCell } from './demo-process.js';

/**
 * Daily counts of every cell over `[from, from + days)`, stored densely: the value of a cell on a day is at
 * `cell * days + day` of each stage's array. Expected values are fractional (Float64Array), draws are counts
 * (Int32Array).
 */
export interface CountGrid<T extends Float64Array | Int32Array = Float64Array | Int32Array> {
  readonly from: IsoDate;
  readonly days: number;
  readonly cells: readonly DemoCell[];
  readonly mqls: T;
  readonly sqls: T;
  readonly sqos: T;
}

/** Daily series of one group of cells (a combination, a super-segment, the total). */
export type StageSeries = Record<Stage, Float64Array>;

/** Sums a grid's cells into groups named by `keyOf`, e.g. per combination or per super-segment. */
export function sumCells(grid: CountGrid, keyOf: (cell: DemoCell) => string): Map<string, StageSeries> {
  const out = new Map<string, StageSeries>();
  grid.cells.forEach((cell, index) => {
    const key = keyOf(cell);
    let series = out.get(key);
    if (!series) {
      series = { mqls: new Float64Array(grid.days), sqls: new Float64Array(grid.days), sqos: new Float64Array(grid.days) };
      out.set(key, series);
    }
    for (const stage of ['mqls', 'sqls', 'sqos'] as const) {
      const target = series[stage];
      const source = grid[stage];
      for (let day = 0; day < grid.days; day++) target[day] = (target[day] ?? 0) + (source[index * grid.days + day] ?? 0);
    }
  });
  return out;
}

/** Per combination, keyed by core's `combinationKey` (the two segments of a split combination added up). */
export function sumByCombination(grid: CountGrid): Map<string, StageSeries> {
  return sumCells(grid, combinationKey);
}

/** Per super-segment. */
export function sumBySegment(grid: CountGrid): Map<string, StageSeries> {
  return sumCells(grid, (cell) => cell.superSegment);
}

/** The grid as core's `DailyCounts` rows (every cell on every day, zeros included), by date then cell. */
export function gridRows(grid: CountGrid): DailyCounts[] {
  const fromDay = toDayNumber(grid.from);
  const rows: DailyCounts[] = [];
  for (let day = 0; day < grid.days; day++) {
    const date = fromDayNumber(fromDay + day);
    grid.cells.forEach((cell, index) => {
      const at = index * grid.days + day;
      rows.push({
        date,
        superSegment: cell.superSegment,
        channel: cell.channel,
        source: cell.source,
        mqls: grid.mqls[at] ?? 0,
        sqls: grid.sqls[at] ?? 0,
        sqos: grid.sqos[at] ?? 0,
      });
    });
  }
  return rows;
}
