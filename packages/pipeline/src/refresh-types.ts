import type { DataEnd, IsoDate, Stage, Warehouse } from '@funnelcast/core';
import type { ComputedForecast } from './compute-forecast.js';
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
  /** The clock, for `generated_at` and the default as-of date. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** Where a stage lands over a period: actual to date plus forecast for the rest, with intervals of the total. */
export interface PeriodLanding {
  readonly stage: Stage;
  readonly period: 'month' | 'quarter';
  /** First day of the period. */
  readonly periodStart: IsoDate;
  /** Actual count from the period start up to the as-of date. */
  readonly actualToDate: number;
  /** Expected count for the rest of the period (within the horizon). */
  readonly forecastRemaining: number;
  /** actualToDate + forecastRemaining. */
  readonly landing: number;
  readonly lower50: number;
  readonly upper50: number;
  readonly lower95: number;
  readonly upper95: number;
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
  /** Landing for the current month and quarter, per stage. */
  readonly landings: readonly PeriodLanding[];
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<RefreshPhase, number>>;
  /** Things worth knowing that did not stop the run (e.g. series that fell back to the intermittent model). */
  readonly warnings: readonly string[];
}
