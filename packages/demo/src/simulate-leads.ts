import { createRng, mixSeed, samplePoisson } from '@funnelcast/core';
import type { DemoProcess } from './demo-process.js';

/** Marks a stage a lead has not reached (never, or not before the snapshot). */
export const NO_DAY = -2147483648;

/** Receives one simulated lead: its cell, stage day numbers ({@link NO_DAY} when not reached) and its serial. */
export type LeadSink = (cell: number, mqlDay: number, sqlDay: number, sqoDay: number, serial: number) => void;

/** A pmf's running sums, for sampling a lag by inversion. */
export function cumulative(pmf: readonly number[]): Float64Array {
  const out = new Float64Array(pmf.length);
  let sum = 0;
  pmf.forEach((p, k) => {
    sum += p;
    out[k] = sum;
  });
  return out;
}

function sampleLag(cdf: Float64Array, u: number): number {
  const last = cdf.length - 1;
  for (let k = 0; k < last; k++) if (u < (cdf[k] ?? 1)) return k;
  return last;
}

/**
 * Simulates the leads with MQL days in `[fromDay, toDay)` and hands each to `sink`, hiding stage days on or after
 * `visibleBefore`. Each combination × day draws from its own stream (seeded by seed, combination and day), so a slice
 * of days reproduces exactly the leads a longer run gives for those days, and the snapshot date never changes which
 * leads happen — only which stages are visible.
 */
export function simulateLeads(
  process: DemoProcess,
  seed: number,
  fromDay: number,
  toDay: number,
  visibleBefore: number,
  sink: LeadSink,
): void {
  const sqlCdf = cumulative(process.sqlLag);
  const sqoCdf = cumulative(process.sqoLag);
  // The cells of each combination, with cumulative segment shares for picking one per lead.
  const cellsOf = process.combinations.map((_, index) => {
    const cells: number[] = [];
    const bounds: number[] = [];
    let share = 0;
    process.cells.forEach((cell, cellIndex) => {
      if (cell.combination !== index) return;
      share += cell.share;
      cells.push(cellIndex);
      bounds.push(share);
    });
    return { cells, bounds };
  });
  for (let day = fromDay; day < toDay; day++) {
    for (let index = 0; index < process.combinations.length; index++) {
      const mean = process.mqlMean(day, index);
      if (mean <= 0) continue;
      const rng = createRng(mixSeed(seed, index, day));
      const count = samplePoisson(rng, mean);
      if (count === 0) continue;
      const sqlRate = process.sqlRateAt(day, index);
      const sqoRate = process.combinations[index]?.sqoRate ?? 0;
      const { cells, bounds } = cellsOf[index] ?? { cells: [], bounds: [] };
      for (let serial = 0; serial < count; serial++) {
        let cell = cells[0] ?? 0;
        if (cells.length > 1) {
          const u = rng();
          let pick = 0;
          while (pick < cells.length - 1 && u >= (bounds[pick] ?? 1)) pick++;
          cell = cells[pick] ?? cell;
        }
        let sqlDay = NO_DAY;
        let sqoDay = NO_DAY;
        if (rng() < sqlRate) {
          sqlDay = day + sampleLag(sqlCdf, rng());
          if (rng() < sqoRate) sqoDay = sqlDay + sampleLag(sqoCdf, rng());
        }
        if (sqlDay >= visibleBefore) sqlDay = NO_DAY;
        if (sqoDay >= visibleBefore) sqoDay = NO_DAY;
        sink(cell, day, sqlDay, sqoDay, serial);
      }
    }
  }
}
