import type { IsoDate, Landing, Warehouse } from '@funnelcast/core';
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

/** What a refresh did. */
export interface RefreshSummary {
  readonly runId: string;
  readonly target: string;
  readonly warehouse: string;
  readonly asOf: IsoDate;
  readonly horizon: number;
  /** False for a dry run. */
  readonly published: boolean;
  readonly rows: number;
  readonly mappingRows: number;
  readonly combinations: number;
  readonly superSegments: readonly string[];
  readonly models: { readonly mqls: string; readonly sqls: string };
  /** Where each stage lands in the month and the quarter of the as-of date (the same rule as `funnelcast forecast`). */
  readonly landings: readonly Landing[];
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<RefreshPhase, number>>;
  /** Things worth knowing that did not stop the run (e.g. series that fell back to the intermittent model). */
  readonly warnings: readonly string[];
}
