import type { Forecaster, IsoDate, Stage, Warehouse } from '@funnelcast/core';
import type { ProgressListener } from '../progress.js';
import type { BacktestPeriod } from './origins.js';

/**
 * The levels a backtest scores at: the period total over everything, per super-segment (SQLs only: segments are
 * what the SQL model forecasts), and per Channel × Source (what dashboards read).
 */
export type BacktestLevel = 'total' | 'super_segment' | 'channel_source';

/** The levels in report order. */
export const BACKTEST_LEVELS: readonly BacktestLevel[] = ['total', 'super_segment', 'channel_source'];

/**
 * The metrics of one model × level × stage at one origin:
 * - `signed_pct_error`: 100 × (forecast − actual) / actual of the period total, in percent: the seed's −27.1;
 * - `abs_pct_error`: its absolute value (percent), so an average over origins does not let errors cancel;
 * - `capture_rate`: forecast / actual of the period total, a fraction (the seed's 0.729 captured);
 * - `wape`: Σ|forecast − actual| / Σ actual over the level's units' period totals;
 * - `mase`: per unit, mean absolute daily error over the in-sample error of the weekly seasonal naive; mean of units;
 * - `coverage_50`, `coverage_95`: share of daily cells whose actual lies in the central interval;
 * - `period_coverage_50`, `period_coverage_95`: the same for each unit's period total (intervals of the sum);
 * - `pinball`: pinball loss of the four published bounds, averaged over them and over daily cells;
 * - `forecast_total`, `actual_total`: the level's period totals themselves, so any figure can be recomputed.
 */
export const BACKTEST_METRICS = [
  'signed_pct_error',
  'abs_pct_error',
  'capture_rate',
  'wape',
  'mase',
  'coverage_50',
  'coverage_95',
  'period_coverage_50',
  'period_coverage_95',
  'pinball',
  'forecast_total',
  'actual_total',
] as const;

/** One of {@link BACKTEST_METRICS}. */
export type BacktestMetric = (typeof BACKTEST_METRICS)[number];

/** A model to compare: a name (`production`, `v1`, `naive`, or a forecaster of the models registry) or a forecaster. */
export type BacktestModel = string | Forecaster;

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** The configured target whose leads are backtested. @defaultValue the config's `defaultTarget` */
  readonly target?: string;
  /**
   * The origins (first forecast days), or how many of the last full periods to use.
   * @defaultValue 6: the first day of each of the last 6 full periods before the latest data
   */
  readonly origins?: readonly IsoDate[] | number;
  /** Each origin forecasts the rest of its month or quarter. @defaultValue `month` */
  readonly period?: BacktestPeriod;
  /** Models compared side by side. @defaultValue `['production', 'v1', 'naive']` */
  readonly models?: readonly BacktestModel[];
  /** Windows (days) of the mapping backtest. @defaultValue `[90, 180, 365]` */
  readonly mappingWindows?: readonly number[];
  readonly onProgress?: ProgressListener;
  /** Use this warehouse instead of opening the target's (the caller keeps ownership and closes it). */
  readonly warehouse?: Warehouse;
  /** The clock, for the backtest id and `created_at`. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** Threads fitting the embedded models side by side; 1 fits them on the calling thread. Same figures either way. @defaultValue 1 */
  readonly threads?: number;
}

/** One metric value at one origin. */
export interface BacktestResult {
  readonly origin: IsoDate;
  readonly model: string;
  readonly level: BacktestLevel;
  readonly stage: Stage;
  readonly metric: BacktestMetric;
  /** `null` where the metric is undefined (zero actuals, a zero MASE scale). */
  readonly value: number | null;
}

/** A metric averaged over the origins, beside the same figure of `v1`. */
export interface BacktestSummaryRow {
  readonly model: string;
  readonly level: BacktestLevel;
  readonly stage: Stage;
  readonly metric: BacktestMetric;
  /** Mean over the origins where it is defined; `null` when it is defined at none. */
  readonly value: number | null;
  /** `value / v1's value` (for `signed_pct_error`, of the absolute values); `null` without v1 or when v1's is 0. */
  readonly ratioToV1: number | null;
  /** How many origins the mean is over. */
  readonly origins: number;
}

/** How well distributing the *actual* segment SQL totals with one mapping window reproduces Channel × Source. */
export interface MappingBacktestRow {
  readonly windowDays: number;
  /** WAPE of the distributed period totals against the actual Channel × Source totals, mean over origins. */
  readonly wape: number | null;
  readonly perOrigin: readonly { readonly origin: IsoDate; readonly wape: number | null }[];
}

/** What a backtest found. */
export interface BacktestReport {
  readonly backtestId: string;
  readonly target: string;
  readonly warehouse: string;
  readonly createdAt: string;
  readonly period: BacktestPeriod;
  readonly origins: readonly IsoDate[];
  readonly models: readonly string[];
  /** Every metric at every origin (what `backtest_results` stores). */
  readonly results: readonly BacktestResult[];
  /** Metrics averaged over origins, with the ratio to v1. */
  readonly summary: readonly BacktestSummaryRow[];
  /** The mapping backtest, one row per window. */
  readonly mapping: readonly MappingBacktestRow[];
  /** Milliseconds per origin (reading history, every model, scoring). */
  readonly timings: readonly { readonly origin: IsoDate; readonly ms: number }[];
  readonly warnings: readonly string[];
}
