import type { DailySeries, Forecaster, FunnelHistory, IsoDate, PredictiveSeries } from '@funnelcast/core';

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

/**
 * A forecaster as a candidate: its series are cut from the history by `seriesOf`. A forecaster that forecasts only
 * from the end of its training ({@link Forecaster.onlyFromTrainingEnd}: a trained ARIMA_PLUS in a refresh) cannot
 * forecast from a selection origin before `pastOrigins.before` without training; there `pastOrigins.standIn` forecasts
 * instead, so the stages after it still have forecasts to read at those origins.
 */
export function forecasterCandidate(
  forecaster: Forecaster,
  seriesOf: (history: FunnelHistory) => DailySeries[],
  pastOrigins?: { readonly standIn: Forecaster; readonly before: IsoDate },
): Candidate {
  return {
    name: forecaster.name,
    forecast: (input) => {
      const past = pastOrigins !== undefined && forecaster.onlyFromTrainingEnd === true && input.history.asOf < pastOrigins.before;
      return (past ? pastOrigins.standIn : forecaster).forecast({
        asOf: input.history.asOf,
        horizon: input.horizon,
        series: seriesOf(input.history),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
    },
  };
}
