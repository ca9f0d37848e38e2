import {
  addDays,
  conversionCohortsFromDaily,
  distributeForecast,
  hybridRates,
  InputError,
  lagDistribution,
  type Combination,
  type FunnelcastConfig,
  type FunnelHistory,
  type IsoDate,
  type PredictiveSeries,
  type SegmentMapping,
} from '@funnelcast/core';

/**
 * The named steps of `computeForecast`'s distribute phase: from super-segment SQL forecasts to Channel × Source SQLs,
 * the SQL→SQO conversion they are turned into SQOs with, and the segment totals the distributed SQLs must sum back to.
 */

/**
 * Refuses segment forecasts that have nowhere to go: a segment with a non-zero SQL forecast and no Channel × Source
 * to split it over would silently lose those SQLs.
 * @throws InputError naming each such segment.
 */
export function refuseUndistributable(segments: readonly PredictiveSeries[], mapping: SegmentMapping): void {
  const unmapped = new Set(mapping.unmappedSegments);
  const lost = segments.filter((s) => unmapped.has(s.key) && s.mean.some((m) => m > 0));
  if (lost.length > 0) {
    throw new InputError(lost.map((s) => ({ where: `super_segment ${s.key}`, message: 'has a non-zero SQL forecast but no Channel × Source to distribute it to' })));
  }
}

/**
 * Each combination's SQL forecast: the mapped segments' forecasts split by the mapping. A combination no segment maps
 * to has no series (zero SQLs); its open SQLs still convert to SQOs.
 */
export function distributeSegmentSqls(segments: readonly PredictiveSeries[], mapping: SegmentMapping): PredictiveSeries[] {
  const unmapped = new Set(mapping.unmappedSegments);
  return distributeForecast(segments.filter((s) => !unmapped.has(s.key)), mapping);
}

/** How SQLs become SQOs: each combination's hybrid SQL→SQO rate (by combination key) and the SQL→SQO lag pmf. */
export interface SqoConversion {
  readonly rates: ReadonlyMap<string, number>;
  readonly lagPmf: readonly number[];
}

/**
 * The SQL→SQO conversion at `asOf`: hybrid rates on the matured SQL cohorts (read from the leads, or summed from the
 * daily counts when the source has only those) and the observed lag. Daily-count sources carry no lags: their SQOs
 * follow their SQLs on the same day (the seed's rule).
 */
export function sqoConversion(config: FunnelcastConfig, history: FunnelHistory, asOf: IsoDate, combinations: readonly Combination[]): SqoConversion {
  const { maturityDays, windowDays, credibility } = config.conversion;
  const cohortEnd = addDays(asOf, -maturityDays);
  const cohorts = history.conversion?.cohorts ?? conversionCohortsFromDaily(history.daily, addDays(cohortEnd, -windowDays), cohortEnd);
  const rates = hybridRates({ cohorts, combinations, credibility });
  return {
    rates: new Map([...rates].map(([key, rate]) => [key, rate.rate])),
    lagPmf: history.conversion ? lagDistribution(history.conversion.lagCounts) : [1],
  };
}

/** Per horizon day, the SQLs the mapped segments forecast: what the distributed SQLs must sum back to. */
export function segmentSqlTotals(segments: readonly PredictiveSeries[], mapping: SegmentMapping, asOf: IsoDate): Map<IsoDate, number> {
  const totals = new Map<IsoDate, number>();
  const unmapped = new Set(mapping.unmappedSegments);
  // One date per horizon day, not one per segment and day: addDays parses and formats a date on every call.
  const dates: IsoDate[] = [];
  for (const segment of segments) {
    if (unmapped.has(segment.key)) continue;
    segment.mean.forEach((mean, day) => {
      const date = (dates[day] ??= addDays(asOf, day));
      totals.set(date, (totals.get(date) ?? 0) + mean);
    });
  }
  return totals;
}
