import { FUNNEL_COHORT, type PredictiveSeries } from '@funnelcast/core';
import { forecastFunnelSqls, funnelSqlsBySegment } from '@funnelcast/models';
import type { Candidate, StageInput } from './candidate.js';

/** The funnel-aware SQL model as a candidate, with its finer forecasts kept for the forecast-proportions split. */
export interface FunnelCandidate extends Candidate {
  /**
   * Its forecast per super-segment × Channel × Source (core's segment × combination key) for an input it forecast,
   * or `null` where it could not (no lead-level facts, no MQL forecast).
   */
  fine(input: StageInput): readonly PredictiveSeries[] | null;
}

/**
 * SQLs from the funnel: open MQLs by age and the MQL forecast at the same origin, times conversion, spread by the
 * MQL→SQL lag (`forecastFunnelSqls`), summed per super-segment. Each input is forecast once, whether the selection
 * asks for the segments or the split asks for the combinations.
 */
export function funnelCandidate(credibility: number): FunnelCandidate {
  const cache = new WeakMap<StageInput, readonly PredictiveSeries[] | null>();
  const fine = (input: StageInput): readonly PredictiveSeries[] | null => {
    if (!cache.has(input)) {
      const facts = input.history.conversion?.mqlToSql;
      cache.set(input, facts && input.mqls ? forecastFunnelSqls({ horizon: input.horizon, mqlToSql: facts, mqls: input.mqls, credibility }) : null);
    }
    return cache.get(input)!;
  };
  return {
    name: FUNNEL_COHORT,
    fine,
    forecast: async (input) => funnelSqlsBySegment(fine(input) ?? [], input.horizon),
  };
}
