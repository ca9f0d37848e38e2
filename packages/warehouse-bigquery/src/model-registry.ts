import { combinationLabel, MODEL_EVALUATIONS, type IsoDate, type ModelEvaluationRow } from '@funnelcast/core';
import { chunks } from './chunks.js';
import { relationPath, type DatasetRef } from './ddl.js';
import type { JobRunner } from './job-runner.js';
import { insertRowsStatement, ROWS_PER_STATEMENT, transactionScript } from './publish.js';
import { decodeValue } from './row-values.js';

/**
 * Model names and the registry of trained versions. A trained model is named `<configured name>_<target>_v<n>`, so
 * targets sharing a dataset never overwrite each other and an earlier version stays readable while the next trains;
 * `model_evaluations` records each version with its evaluation, and a refresh reads the highest version there.
 * Backtest scratch models are named after their target and origin and expire by themselves.
 */

/** A trained model's name: `<base>_<target>_v<version>`; a dry run, which reads no registry, names it `…_vnext`. */
export const versionedModelName = (base: string, target: string, version: number | 'next'): string => `${base}_${target}_v${version}`;

/** A backtest's scratch model of one origin: `<base>_<target>_bt_<yyyymmdd>_<token>`. */
export const scratchModelName = (base: string, target: string, origin: IsoDate, token: string): string =>
  `${base}_${target}_bt_${origin.replaceAll('-', '')}_${token}`;

/** The latest trained version of a target's stage model. */
export interface TrainedVersion {
  readonly modelName: string;
  readonly version: number;
  /** The model learnt from every day before this one. */
  readonly dataEnd: IsoDate;
}

/** The highest version `funnelcast train` recorded for the target's stage, or null when it never trained one. */
export async function latestTrainedVersion(jobs: JobRunner, ref: DatasetRef, target: string, stage: 'mqls' | 'sqls'): Promise<TrainedVersion | null> {
  const [row] = await jobs.query(
    `SELECT model_name, version, data_end FROM ${relationPath(ref, MODEL_EVALUATIONS.name)}
WHERE target = @target AND stage = @stage
ORDER BY version DESC, trained_at DESC
LIMIT 1`,
    { params: { target, stage }, types: { target: 'STRING', stage: 'STRING' } },
  );
  if (!row) return null;
  return { modelName: String(decodeValue('STRING', row.model_name)), version: Number(decodeValue('INT64', row.version)), dataEnd: String(decodeValue('DATE', row.data_end)) };
}

/** Stores a model's evaluation rows; a retried call replaces the rows of the same train and model. */
export async function storeEvaluations(jobs: JobRunner, ref: DatasetRef, rows: readonly ModelEvaluationRow[]): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const table = relationPath(ref, MODEL_EVALUATIONS.name);
  const inserts = chunks(rows, ROWS_PER_STATEMENT).map((chunk, i) => insertRowsStatement(table, MODEL_EVALUATIONS.columns, `rows_${i}`, chunk));
  const script = transactionScript([`DELETE FROM ${table} WHERE train_id = @train_id AND model_name = @model_name`, ...inserts.map((i) => i.sql)]);
  await jobs.query(script, {
    params: { train_id: first.train_id, model_name: first.model_name, ...Object.assign({}, ...inserts.map((i) => i.input.params)) },
    types: { train_id: 'STRING', model_name: 'STRING', ...Object.assign({}, ...inserts.map((i) => i.input.types)) },
  });
}

/** The `ML.EVALUATE` columns of a regressor, stored as metrics. */
export const REGRESSION_METRICS = ['mean_absolute_error', 'mean_squared_error', 'mean_squared_log_error', 'median_absolute_error', 'r2_score', 'explained_variance'] as const;

/** The numeric `ML.ARIMA_EVALUATE` columns, stored as metrics (lower case; `has_drift` as 0 or 1). */
export const ARIMA_METRICS = ['non_seasonal_p', 'non_seasonal_d', 'non_seasonal_q', 'has_drift', 'log_likelihood', 'aic', 'variance'] as const;

/** What every evaluation row of one model shares. */
export type EvaluatedModel = Omit<ModelEvaluationRow, 'series' | 'metric' | 'value'>;

// ML.ARIMA_EVALUATE names its AIC column in capitals; BOOL cells come back as booleans or their text.
function metricValue(row: Record<string, unknown>, metric: string): number | null {
  const key = Object.keys(row).find((k) => k.toLowerCase() === metric);
  const raw = key === undefined ? null : row[key];
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'boolean' || raw === 'true' || raw === 'false') return raw === true || raw === 'true' ? 1 : 0;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** The rows of an `ML.EVALUATE` result: one per metric. */
export function regressionEvaluationRows(model: EvaluatedModel, result: readonly Record<string, unknown>[]): ModelEvaluationRow[] {
  return result.flatMap((row) => REGRESSION_METRICS.map((metric) => ({ ...model, series: null, metric, value: metricValue(row, metric) })));
}

/** The rows of an `ML.ARIMA_EVALUATE` result over Channel × Source: one per series and metric. */
export function arimaEvaluationRows(model: EvaluatedModel, result: readonly Record<string, unknown>[]): ModelEvaluationRow[] {
  return result.flatMap((row) => {
    const series = combinationLabel({ channel: String(row.channel_grouping_name), source: String(row.original_source) });
    return ARIMA_METRICS.map((metric) => ({ ...model, series, metric, value: metricValue(row, metric) }));
  });
}
