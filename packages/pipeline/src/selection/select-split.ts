import {
  combinationKey,
  parseSegmentCombinationKey,
  selectCandidates,
  type FunnelHistory,
  type PredictiveSeries,
  type SegmentMapping,
  type SelectionGroup,
  type SelectionOrigin,
  type WeightMethod,
} from '@funnelcast/core';

/** The two ways a super-segment's SQLs are split across Channel × Source, the first the default. */
const METHODS = ['historical', 'forecast_proportions'] as const satisfies readonly WeightMethod[];

/** One origin of the split's backtest. */
export interface SplitOrigin {
  readonly history: FunnelHistory;
  /** The funnel-aware forecast per segment × combination at that origin, or null where there is none. */
  readonly fine: readonly PredictiveSeries[] | null;
  /** Actual SQLs per segment and combination over the scored days: segment → combination key → count. */
  readonly actual: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** How each super-segment's SQLs are split, and the forecast totals of the segments that use forecast proportions. */
export interface SplitSelection {
  readonly groups: readonly SelectionGroup[];
  /** Segment → combination key → forecast SQLs over the horizon, for segments split by forecast proportions. */
  readonly proportions: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Each segment's combinations' total forecast over the horizon. */
function totalsBySegment(fine: readonly PredictiveSeries[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const series of fine) {
    const { superSegment, combinationKey: key } = parseSegmentCombinationKey(series.key);
    const total = series.mean.reduce((a, b) => a + b, 0);
    let segment = out.get(superSegment);
    if (!segment) out.set(superSegment, (segment = new Map()));
    segment.set(key, total);
  }
  return out;
}

/** Shares summing to 1 from non-negative totals, or null when they sum to nothing. */
function shares(totals: ReadonlyMap<string, number> | undefined): Map<string, number> | null {
  const sum = [...(totals?.values() ?? [])].reduce((a, b) => a + b, 0);
  return sum > 0 ? new Map([...totals!].map(([key, total]) => [key, total / sum])) : null;
}

/**
 * Chooses, per super-segment, between the Gross–Sohl proportions of historical averages (the default) and the
 * funnel-aware forecast proportions, by how well each would have split the segment's *actual* SQLs at the selection
 * origins (so the segment forecast's own error does not enter): WAPE of the distributed combination totals. With no
 * funnel-aware forecast now, every segment keeps the historical split.
 */
export function selectSplit(input: {
  readonly segments: readonly string[];
  readonly origins: readonly SplitOrigin[];
  readonly mappingAt: (history: FunnelHistory) => SegmentMapping;
  readonly finalFine: readonly PredictiveSeries[] | null;
}): SplitSelection {
  const proportions = new Map<string, ReadonlyMap<string, number>>();
  if (!input.finalFine || input.origins.length === 0) return { groups: [], proportions };
  const finalTotals = totalsBySegment(input.finalFine);
  const atOrigins = input.origins.map((origin) => ({
    actual: origin.actual,
    historical: input.mappingAt(origin.history).weights,
    forecast: origin.fine ? totalsBySegment(origin.fine) : new Map<string, Map<string, number>>(),
  }));
  const groups: SelectionGroup[] = [];
  for (const segment of input.segments) {
    if (!finalTotals.has(segment)) continue;
    const scored: SelectionOrigin[] = atOrigins.map(({ actual, historical, forecast }) => {
      const counts = actual.get(segment) ?? new Map<string, number>();
      const segmentTotal = [...counts.values()].reduce((a, b) => a + b, 0);
      const byHistory = new Map(historical.filter((w) => w.superSegment === segment).map((w) => [combinationKey(w), w.fraction]));
      const byForecast = shares(forecast.get(segment)) ?? byHistory;
      const keys = [...new Set([...counts.keys(), ...byHistory.keys(), ...byForecast.keys()])];
      const split = (fractions: ReadonlyMap<string, number>, method: string): PredictiveSeries[] =>
        keys.map((key) => {
          const mean = segmentTotal * (fractions.get(key) ?? 0);
          return { key, mean: [mean], variance: [mean], method };
        });
      return {
        actual: new Map(keys.map((key) => [key, [counts.get(key) ?? 0]])),
        forecasts: new Map([
          [METHODS[0], split(byHistory, METHODS[0])],
          [METHODS[1], split(byForecast, METHODS[1])],
        ]),
      };
    });
    const scores = selectCandidates(METHODS, scored, { bucketDays: 1, margin: 0.05, blend: false });
    groups.push({ group: segment, scores });
    if (scores.find((s) => s.chosen)?.candidate === METHODS[1]) proportions.set(segment, finalTotals.get(segment)!);
  }
  return { groups, proportions };
}
