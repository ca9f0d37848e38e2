import {
  addDays,
  combinationKey,
  STAGES,
  sumTotalMoments,
  type DailyCounts,
  type IsoDate,
  type PredictiveSeries,
  type Stage,
} from '@funnelcast/core';
import { windowCounts } from '../history-series.js';
import type { BacktestLevel } from './backtest-types.js';
import { unitForecast, type UnitForecast } from './score-level.js';

/** Per level and stage, the units of that level (keyed like the forecasts) and their values. */
export type ByLevel<T> = { readonly [L in BacktestLevel]: Partial<Record<Stage, ReadonlyMap<string, T>>> };

/** The stages scored at a level: super-segments are an SQL grain, so only SQLs are scored there. */
export function stagesAt(level: BacktestLevel): readonly Stage[] {
  return level === 'super_segment' ? ['sqls'] : STAGES;
}

/** The key of the unit a daily row counts towards at `level`. */
function unitOf(row: DailyCounts, level: BacktestLevel): string {
  if (level === 'total') return 'total';
  return level === 'super_segment' ? row.superSegment : combinationKey({ channel: row.channel, source: row.source });
}

/** Dense daily counts per unit over `[from, from + days)`, at every level and scored stage. */
export function dailyByLevel(daily: readonly DailyCounts[], from: IsoDate, days: number): ByLevel<number[]> {
  const build = (level: BacktestLevel) => {
    const out: Partial<Record<Stage, Map<string, number[]>>> = {};
    for (const stage of stagesAt(level)) out[stage] = windowCounts(daily, stage, (row) => unitOf(row, level), from, days);
    return out;
  };
  return { total: build('total'), super_segment: build('super_segment'), channel_source: build('channel_source') };
}

/** Sums the forecasts of units day by day, by core's rule for totals (the level error they share adds as one). */
export function sumForecasts(parts: readonly UnitForecast[], horizon: number): UnitForecast {
  return Array.from({ length: horizon }, (_, day) => sumTotalMoments(parts.flatMap((part) => part[day] ?? [])));
}

/**
 * Super-segment shares of each combination's SQLs over `[asOf − windowDays, asOf)`: `share[c][s] = SQLs(s, c) /
 * SQLs(c)`. A peer model forecasts a combination across its segments; these shares split that forecast back into
 * segments, so peers can be scored at the super-segment level from history alone (no look-ahead).
 */
export function segmentSharesOfCombinations(daily: readonly DailyCounts[], asOf: IsoDate, windowDays: number): Map<string, Map<string, number>> {
  const from = addDays(asOf, -windowDays);
  const counts = new Map<string, Map<string, number>>();
  for (const row of daily) {
    if (row.date < from || row.date >= asOf || row.sqls === 0) continue;
    const key = combinationKey({ channel: row.channel, source: row.source });
    let bySegment = counts.get(key);
    if (!bySegment) counts.set(key, (bySegment = new Map()));
    bySegment.set(row.superSegment, (bySegment.get(row.superSegment) ?? 0) + row.sqls);
  }
  for (const bySegment of counts.values()) {
    const total = [...bySegment.values()].reduce((a, b) => a + b, 0);
    for (const [segment, count] of bySegment) bySegment.set(segment, count / total);
  }
  return counts;
}

/**
 * A model's forecasts at every level, from its Channel × Source series per stage. SQLs per super-segment are
 * `segments` when the model forecasts segments itself (production), else the combinations split by
 * {@link segmentSharesOfCombinations} (a combination without SQLs in the window adds to no segment). The total is
 * the sum of the segments for a segment model, so its intervals are the segment model's, not a sum of thinned cells.
 */
export function forecastsByLevel(input: {
  readonly horizon: number;
  readonly fine: Readonly<Record<Stage, readonly PredictiveSeries[]>>;
  readonly segments: readonly PredictiveSeries[] | null;
  readonly shares: ReadonlyMap<string, ReadonlyMap<string, number>>;
}): ByLevel<UnitForecast> {
  const { horizon, fine, segments, shares } = input;
  const total: Partial<Record<Stage, Map<string, UnitForecast>>> = {};
  const channelSource: Partial<Record<Stage, Map<string, UnitForecast>>> = {};
  for (const stage of STAGES) {
    channelSource[stage] = new Map(fine[stage].map((series) => [series.key, unitForecast(series)]));
    const parts = stage === 'sqls' && segments ? segments.map(unitForecast) : [...channelSource[stage].values()];
    total[stage] = new Map([['total', sumForecasts(parts, horizon)]]);
  }
  let bySegment: Map<string, UnitForecast>;
  if (segments) {
    bySegment = new Map(segments.map((series) => [series.key, unitForecast(series)]));
  } else {
    const parts = new Map<string, UnitForecast[]>();
    for (const series of fine.sqls) {
      for (const [segment, share] of shares.get(series.key) ?? []) {
        const list = parts.get(segment) ?? [];
        // A share of a count scales its mean by p and its variance by p² (the split itself is taken as known).
        list.push(unitForecast({ mean: series.mean.map((m) => m * share), variance: series.variance.map((v) => v * share * share) }));
        parts.set(segment, list);
      }
    }
    bySegment = new Map([...parts].map(([segment, list]) => [segment, sumForecasts(list, horizon)]));
  }
  return { total, super_segment: { sqls: bySegment }, channel_source: channelSource };
}
