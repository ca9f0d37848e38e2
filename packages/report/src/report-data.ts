import type { ForecastVsActualRow, RunRecord, RunRows, StoredBacktest } from '@funnelcast/core';

/** Which small multiples the report draws besides the total: super-segments, the top Channel × Source, or both. */
export type ReportGrouping = 'segment' | 'channel';

/** Everything the report shows, read from the warehouse beforehand: rendering does no I/O. */
export interface ReportData extends RunRows {
  /** The run the report is about. */
  readonly run: RunRecord;
  /** Whether it is the production run (the one the views show). */
  readonly production: boolean;
  /** Every published run's passed forecast days beside the actuals (`vw_forecast_vs_actual`). */
  readonly forecastVsActual: readonly ForecastVsActualRow[];
  /** The latest stored backtest, if any. */
  readonly backtest: StoredBacktest | null;
}

/** How to draw it. */
export interface ReportOptions {
  /** Only this grouping of small multiples; both when absent. */
  readonly by?: ReportGrouping;
  /** How many Channel × Source combinations get their own chart (the largest by forecast SQLs). @defaultValue 5 */
  readonly top?: number;
  /** When the report was generated (UTC ISO), shown in its footer. */
  readonly generatedAt: string;
}
