import type { DailySeries, IsoDate, PredictiveSeries } from '@funnelcast/core';

/** A fit the pool sends a worker: an embedded model by name, and what it forecasts from. */
export interface FitTask {
  readonly id: number;
  readonly model: string;
  readonly asOf: IsoDate;
  readonly horizon: number;
  readonly series: readonly DailySeries[];
  /** One Int32 the main thread sets to 1 to abort the fit: a worker busy in a fit reads no messages. */
  readonly abort: SharedArrayBuffer;
}

/** What a worker answers: progress of a fit, its forecast, or why it failed. */
export type FitReply =
  | { readonly id: number; readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly id: number; readonly kind: 'done'; readonly forecast: PredictiveSeries[] }
  | { readonly id: number; readonly kind: 'failed'; readonly name: string; readonly message: string };
