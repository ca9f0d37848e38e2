import type { MappingRow } from './columns.js';
import { addDays, daysBetween, isIsoDate } from './dates.js';
import { InputError, type Problem } from './errors.js';
import type { CombinationSpan, DailyCounts } from './ports.js';
import { combinationKey, parseCombinationKey, segmentCombinationKey, type Combination, type IsoDate, type WeightMethod } from './vocabulary.js';

/** What the Gross–Sohl mapping needs: daily SQL history and when each combination started. */
export interface MappingInput {
  readonly asOf: IsoDate;
  /** Trailing window in days: shares are computed over `[asOf − windowDays, asOf)`. */
  readonly windowDays: number;
  /**
   * Floor of the exposure of a combination that started inside the window (design.md step 2's 28 days). A window
   * shorter than the floor caps it, so a new combination is never scaled below its own count.
   */
  readonly minExposureDays: number;
  readonly daily: readonly DailyCounts[];
  readonly spans: readonly CombinationSpan[];
  /** Segments to map; a segment absent from the data still gets (fallback) weights. */
  readonly superSegments: readonly string[];
}

/** One weight: the share of a super-segment's SQLs that goes to a combination. */
export interface MappingWeight extends Combination {
  readonly superSegment: string;
  /** SQLs in the window (exposure-scaled when `weightMethod` is `exposure_adjusted`; 0 for `equal_fallback`). */
  readonly sqlCount: number;
  /** The segment's normaliser: the sum of its `sqlCount`s (0 for `equal_fallback`). */
  readonly segmentTotal: number;
  /** The share; a segment's fractions sum to 1. */
  readonly fraction: number;
  readonly weightMethod: WeightMethod;
}

/** The mapping of every super-segment to its combinations. */
export interface SegmentMapping {
  readonly windowStart: IsoDate;
  /** Exclusive: the as-of date. */
  readonly windowEnd: IsoDate;
  readonly weights: readonly MappingWeight[];
  /** Segments with nothing at all to split over (no combination in their history nor active in the window). */
  readonly unmappedSegments: readonly string[];
}

/** Orders combinations by channel, then source. */
export function compareCombinations(a: Combination, b: Combination): number {
  return a.channel === b.channel ? (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) : a.channel < b.channel ? -1 : 1;
}

/**
 * Combinations with any event (MQL, SQL or SQO, in any segment) in `[asOf − windowDays, asOf)`, sorted by channel
 * then source. These are the combinations every horizon day must cover.
 */
export function activeCombinations(daily: readonly DailyCounts[], asOf: IsoDate, windowDays: number): Combination[] {
  const start = addDays(asOf, -windowDays);
  // Sources by channel: the rows' own strings, shared across rows, rather than a key built for every row.
  const sources = new Map<string, Set<string>>();
  for (const row of daily) {
    if (row.date >= start && row.date < asOf && row.mqls + row.sqls + row.sqos > 0) {
      let seen = sources.get(row.channel);
      if (!seen) sources.set(row.channel, (seen = new Set()));
      seen.add(row.source);
    }
  }
  return [...sources].flatMap(([channel, seen]) => [...seen].map((source) => ({ channel, source }))).sort(compareCombinations);
}


function validateMappingInput(input: MappingInput): void {
  const problems: Problem[] = [];
  if (!isIsoDate(input.asOf)) problems.push({ where: 'asOf', message: `must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(input.asOf)}` });
  for (const field of ['windowDays', 'minExposureDays'] as const) {
    const value = input[field];
    if (!Number.isInteger(value) || value < 1) problems.push({ where: field, message: `must be a whole number of days ≥ 1, got ${value}` });
  }
  if (problems.length > 0) throw new InputError(problems, 'Cannot compute the mapping:');
}

/**
 * Gross–Sohl proportions of historical averages, with exposure adjustment for combinations that started inside the
 * window and an equal split for segments with no SQLs in it (design.md, "Mapping and distribution", steps 1–3).
 * @throws InputError when the as-of date or a day count is invalid.
 */
export function computeMapping(input: MappingInput): SegmentMapping {
  validateMappingInput(input);
  const { asOf, windowDays } = input;
  const exposureFloor = Math.min(input.minExposureDays, windowDays);
  const windowStart = addDays(asOf, -windowDays);
  const firstEvent = new Map<string, IsoDate>();
  const seenInSegment = new Map<string, Set<string>>();
  for (const span of input.spans) {
    const key = combinationKey(span);
    const id = segmentCombinationKey(span.superSegment, key);
    const known = firstEvent.get(id);
    if (known === undefined || span.firstDate < known) firstEvent.set(id, span.firstDate);
    let seen = seenInSegment.get(span.superSegment);
    if (!seen) seenInSegment.set(span.superSegment, (seen = new Set()));
    seen.add(key);
  }
  const counts = new Map<string, Map<string, number>>();
  for (const row of input.daily) {
    if (row.date < windowStart || row.date >= asOf || row.sqls <= 0) continue;
    let segment = counts.get(row.superSegment);
    if (!segment) counts.set(row.superSegment, (segment = new Map()));
    const key = combinationKey(row);
    segment.set(key, (segment.get(key) ?? 0) + row.sqls);
  }
  const active = activeCombinations(input.daily, asOf, windowDays).map(combinationKey);

  const weights: MappingWeight[] = [];
  const unmappedSegments: string[] = [];
  for (const superSegment of [...new Set(input.superSegments)].sort()) {
    const segmentCounts = counts.get(superSegment);
    if (segmentCounts && segmentCounts.size > 0) {
      const scaled = [...segmentCounts].map(([key, count]) => {
        const first = firstEvent.get(segmentCombinationKey(superSegment, key));
        // A combination that started inside the window had less time to collect SQLs: scale it to the full window.
        const exposure = first !== undefined && first > windowStart ? daysBetween(first, asOf) : windowDays;
        const adjusted = exposure < windowDays;
        return { key, count: adjusted ? (count * windowDays) / Math.max(exposureFloor, exposure) : count, adjusted };
      });
      const total = scaled.reduce((sum, s) => sum + s.count, 0);
      for (const { key, count, adjusted } of scaled) {
        weights.push({
          superSegment,
          ...parseCombinationKey(key),
          sqlCount: count,
          segmentTotal: total,
          fraction: count / total,
          weightMethod: adjusted ? 'exposure_adjusted' : 'historical',
        });
      }
      continue;
    }
    const history = [...(seenInSegment.get(superSegment) ?? [])];
    const pool = history.length > 0 ? history : active;
    if (pool.length === 0) {
      unmappedSegments.push(superSegment);
      continue;
    }
    for (const key of pool) {
      weights.push({ superSegment, ...parseCombinationKey(key), sqlCount: 0, segmentTotal: 0, fraction: 1 / pool.length, weightMethod: 'equal_fallback' });
    }
  }
  weights.sort((a, b) => (a.superSegment === b.superSegment ? compareCombinations(a, b) : a.superSegment < b.superSegment ? -1 : 1));
  return { windowStart, windowEnd: asOf, weights, unmappedSegments };
}

/**
 * Replaces the weights of the given segments by forecast proportions (design.md step 3b; hierarchicalforecast's
 * `forecast_proportions`): each combination's share of the segment's forecast SQLs over the horizon, from a model
 * that forecasts the combinations themselves (the funnel-aware one: open MQLs and expected new ones). `sqlCount`
 * holds the combination's forecast total and `segmentTotal` the segment's. Combinations outside `allowed` (those
 * the forecast has rows for) are left out; a segment whose forecast total is not positive keeps its weights.
 */
export function withForecastProportions(
  mapping: SegmentMapping,
  forecastTotals: ReadonlyMap<string, ReadonlyMap<string, number>>,
  allowed: ReadonlySet<string>,
): SegmentMapping {
  const replaced = new Map<string, MappingWeight[]>();
  for (const [superSegment, totals] of forecastTotals) {
    const kept = [...totals].filter(([key, total]) => allowed.has(key) && total > 0);
    const segmentTotal = kept.reduce((sum, [, total]) => sum + total, 0);
    if (!(segmentTotal > 0)) continue;
    replaced.set(
      superSegment,
      kept.map(([key, total]) => ({ superSegment, ...parseCombinationKey(key), sqlCount: total, segmentTotal, fraction: total / segmentTotal, weightMethod: 'forecast_proportions' })),
    );
  }
  const weights = [...mapping.weights.filter((w) => !replaced.has(w.superSegment)), ...[...replaced.values()].flat()];
  weights.sort((a, b) => (a.superSegment === b.superSegment ? compareCombinations(a, b) : a.superSegment < b.superSegment ? -1 : 1));
  return { ...mapping, weights };
}

/** The mapping as rows of `vw_super_segment_to_channel_source_mapping`. */
export function toMappingRows(mapping: SegmentMapping, runId: string): MappingRow[] {
  return mapping.weights.map((w) => ({
    super_segment: w.superSegment,
    Channel_Grouping_Name: w.channel,
    Original_source: w.source,
    sql_count: w.sqlCount,
    super_segment_total: w.segmentTotal,
    normalized_fraction: w.fraction,
    weight_method: w.weightMethod,
    window_start: mapping.windowStart,
    window_end: mapping.windowEnd,
    run_id: runId,
  }));
}
