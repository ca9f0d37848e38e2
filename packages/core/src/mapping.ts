import type { MappingRow } from './columns.js';
import type { CombinationSpan, DailyCounts } from './ports.js';
import type { Combination, IsoDate, WeightMethod } from './vocabulary.js';

/** What the Gross–Sohl mapping needs: daily SQL history and when each combination started. */
export interface MappingInput {
  readonly asOf: IsoDate;
  /** Trailing window in days: shares are computed over `[asOf − windowDays, asOf)`. */
  readonly windowDays: number;
  /** Floor of the exposure of a combination that started inside the window. */
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
}

/**
 * Gross–Sohl proportions of historical averages, with exposure adjustment for combinations that started inside the
 * window and an equal split for segments with no SQLs in it (design.md, "Mapping and distribution", steps 1–3).
 */
export function computeMapping(input: MappingInput): SegmentMapping {
  void input;
  throw new Error('computeMapping: not implemented yet');
}

/** The mapping as rows of `vw_super_segment_to_channel_source_mapping`. */
export function toMappingRows(mapping: SegmentMapping, runId: string): MappingRow[] {
  void mapping;
  void runId;
  throw new Error('toMappingRows: not implemented yet');
}
