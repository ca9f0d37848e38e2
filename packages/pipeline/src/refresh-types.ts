import type { DataEnd, IsoDate, Landing, Warehouse } from '@funnelcast/core';
import type { ComputedForecast, StageForecasters } from './compute-forecast.js';
import type { ProgressListener, RefreshPhase } from './progress.js';

/** Options of {@link refresh}. */
export interface RefreshOptions {
  /** The configured target to refresh. @defaultValue the config's `defaultTarget` */
  readonly target?: string;
  /** History is every event before this day; the forecast starts on it. @defaultValue today (UTC) */
  readonly asOf?: IsoDate;
  /** Forecast days. @defaultValue the config's `horizon` */
  readonly horizon?: number;
  /** Compute and validate, but publish nothing. @defaultValue false */
  readonly dryRun?: boolean;
  readonly onProgress?: ProgressListener;
  /** Aborts between phases (worker shutdown); nothing is published after an abort. */
  readonly signal?: AbortSignal;
  /** Use this warehouse instead of opening the target's (the caller keeps ownership and closes it). */
  readonly warehouse?: Warehouse;
  /** Forecast with these models instead of the configured ones (a model of your own, or a test's). */
  readonly forecasters?: StageForecasters;
  /** The clock, for `generated_at` and the default as-of date. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** What a refresh did. */
export interface RefreshSummary {
  readonly runId: string;
  readonly target: string;
  readonly warehouse: string;
  /** The forecast's first day: the as-of date asked for, or the day after stale data ends. */
  readonly asOf: IsoDate;
  /** The as-of date asked for (today by default). */
  readonly requestedAsOf: IsoDate;
  /** Where the data stops, and whether the silence before the as-of date means the export stopped. */
  readonly dataEnd: DataEnd;
  /** Forecast days from `asOf` (extended over the silent days of stale data). */
  readonly horizon: number;
  /** False for a dry run. */
  readonly published: boolean;
  readonly rows: number;
  readonly mappingRows: number;
  readonly combinations: number;
  readonly superSegments: readonly string[];
  readonly models: { readonly mqls: string; readonly sqls: string };
  /** How each stage's model was chosen: every candidate's backtest score, weight and whether it won. */
  readonly selection: ComputedForecast['selection'];
  /** Where each stage lands in the month and the quarter of the as-of date (the same rule as `funnelcast forecast`). */
  readonly landings: readonly Landing[];
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<RefreshPhase, number>>;
  /** Things worth knowing that did not stop the run (e.g. series that fell back to the intermittent model). */
  readonly warnings: readonly string[];
}
