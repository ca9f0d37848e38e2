import type { DailySeries, Forecaster, FunnelHistory, PredictiveSeries } from '@funnelcast/core';

/** What a candidate forecasts from: the history as of an origin, and what the stages before it forecast there. */
export interface StageInput {
  readonly history: FunnelHistory;
  readonly horizon: number;
  /** The MQL forecast per Channel × Source at the same origin, for models that build SQLs from MQLs. */
  readonly mqls?: readonly PredictiveSeries[];
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: { readonly aborted: boolean };
}

/**
 * A model competing for a stage. Most are plain {@link Forecaster}s over one daily series per unit; the funnel-aware
 * SQL model also reads the MQL forecast and the history's conversion facts, so the selection works on this wider
 * shape.
 */
export interface Candidate {
  readonly name: string;
  forecast(input: StageInput): Promise<PredictiveSeries[]>;
}

/** A forecaster as a candidate: its series are cut from the history by `seriesOf`. */
export function forecasterCandidate(forecaster: Forecaster, seriesOf: (history: FunnelHistory) => DailySeries[]): Candidate {
  return {
    name: forecaster.name,
    forecast: (input) =>
      forecaster.forecast({
        asOf: input.history.asOf,
        horizon: input.horizon,
        series: seriesOf(input.history),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      }),
  };
}
