import type { DataEnd, IsoDate, Landing, ProductionRun, Warehouse } from '@funnelcast/core';
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
  /** The clock, for `generated_at`, the run's lease and the default as-of date. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /**
   * What this refresh executes, e.g. the queue job's id: however many times it runs (a retried or duplicated job), at
   * most one run of a request is ever published. An execution that finds the request already published returns that
   * run (`alreadyPublished`) without recomputing; one that loses a race at publish is stored `abandoned` and returns
   * the winner. @defaultValue none: every execution is a request of its own
   */
  readonly requestId?: string;
  /** Who runs the refresh, stored as the run's `owner` beside its lease. @defaultValue `<hostname>:<pid>` */
  readonly owner?: string;
  /**
   * Threads that fit the embedded models side by side (the selection backtest's fits are independent); 1 fits them
   * on the calling thread. The forecast is the same either way. @defaultValue 1
   */
  readonly threads?: number;
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
  /**
   * True when another execution of the same `requestId` had published: `runId` is that run and this execution
   * published nothing. When it was found before computing, nothing was: `combinations` is 0, `selection` and
   * `landings` are empty, timings are those of reading the history, and rows, models and warnings are the stored run's.
   */
  readonly alreadyPublished: boolean;
  /**
   * Whether `runId` is now the production run, the one the views show. False for a dry run, and for a publish of an
   * as-of date older than production's: it is kept (backfills, tracking) but production stays `productionRun`.
   */
  readonly production: boolean;
  /** The run the views show after the refresh, or null when none is published. */
  readonly productionRun: ProductionRun | null;
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
