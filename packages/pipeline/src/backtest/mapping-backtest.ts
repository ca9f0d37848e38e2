import { combinationKey, computeMapping, type DailyCounts, type FunnelcastConfig, type FunnelHistory } from '@funnelcast/core';

/** The mapping windows backtested by default: a quarter, the configured default, a year. */
export const DEFAULT_MAPPING_WINDOWS: readonly number[] = [90, 180, 365];

/**
 * How well the mapping alone reproduces Channel × Source: the *actual* SQL total of each super-segment over the
 * period is distributed with the shares of a `windowDays` window before the origin, and compared with what each
 * combination actually got. Segment-model error is taken out, so this isolates the stability of the shares; the
 * WAPE is `Σ_c |Σ_s f[s][c]·A_s − A_c| / Σ_c A_c` (`null` when the period has no SQLs).
 */
export function mappingWape(input: {
  readonly config: FunnelcastConfig;
  readonly history: FunnelHistory;
  readonly windowDays: number;
  /** Actual daily counts of the period (on or after the origin). */
  readonly period: readonly DailyCounts[];
}): number | null {
  const { config, history, windowDays, period } = input;
  const mapping = computeMapping({
    asOf: history.asOf,
    windowDays,
    minExposureDays: config.mapping.minExposureDays,
    daily: history.daily,
    spans: history.spans,
    superSegments: config.superSegments,
  });
  const segmentTotals = new Map<string, number>();
  const actual = new Map<string, number>();
  for (const row of period) {
    if (row.sqls === 0) continue;
    segmentTotals.set(row.superSegment, (segmentTotals.get(row.superSegment) ?? 0) + row.sqls);
    const key = combinationKey(row);
    actual.set(key, (actual.get(key) ?? 0) + row.sqls);
  }
  const distributed = new Map<string, number>();
  for (const weight of mapping.weights) {
    const key = combinationKey(weight);
    distributed.set(key, (distributed.get(key) ?? 0) + weight.fraction * (segmentTotals.get(weight.superSegment) ?? 0));
  }
  let error = 0;
  let total = 0;
  for (const key of new Set([...distributed.keys(), ...actual.keys()])) {
    error += Math.abs((distributed.get(key) ?? 0) - (actual.get(key) ?? 0));
    total += actual.get(key) ?? 0;
  }
  return total > 0 ? error / total : null;
}
