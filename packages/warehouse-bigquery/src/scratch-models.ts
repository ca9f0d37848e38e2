import { randomUUID } from 'node:crypto';
import { addDays, type DailySeries, type ForecastRequest, type TrainingSettings } from '@funnelcast/core';
import { expireModelSql, timestampLiteral } from './bqml-sql.js';
import { chunks } from './chunks.js';
import type { DatasetRef } from './ddl.js';
import { throwIfAborted } from './forecast-request.js';
import type { JobRunner } from './job-runner.js';
import { scratchModelName } from './model-registry.js';
import { rowsParamType } from './row-values.js';

/** What the in-warehouse forecasters need besides the job runner: where models live and how they are named. */
export interface ModelContext {
  readonly jobs: JobRunner;
  /** The target's dataset, holding `model_evaluations`. */
  readonly ref: DatasetRef;
  /** The backquoted path of a model (or its scratch training table) of this name, in the model dataset. */
  readonly modelPath: (name: string) => string;
  /** The configured target's name. */
  readonly target: string;
  readonly settings: TrainingSettings;
  /** Hours a backtest's scratch model and its training table live. */
  readonly scratchHours: number;
  readonly now: () => Date;
  /** Tells apart the scratch models of two backtests of one target and origin. */
  readonly token: string;
}

/** Training points per INSERT statement: about 1 MB of parameters. @defaultValue 10000 */
export const POINTS_PER_STATEMENT = 10_000;

const POINT_COLUMNS = [
  { name: 'series_key', type: 'STRING' },
  { name: 'date_day', type: 'DATE' },
  { name: 'value', type: 'FLOAT64' },
] as const;

/** A backtest origin's scratch model: its name, where its training series go and the statement that expires it. */
export function scratchModel(context: ModelContext, base: string, request: ForecastRequest) {
  const name = scratchModelName(base, context.target, request.asOf, context.token);
  const expiresAt = new Date(context.now().getTime() + context.scratchHours * 3_600_000);
  return { path: context.modelPath(name), training: context.modelPath(`${name}_training`), expire: expireModelSql(context.modelPath(name), expiresAt), expiresAt };
}

/**
 * Writes the request's series into a scratch training table (`series_key`, `date_day`, `value`) that BigQuery deletes
 * with its model: a backtest model learns exactly what the forecaster was given at the origin, nothing later.
 */
export async function loadScratchSeries(jobs: JobRunner, table: string, expiresAt: Date, series: readonly DailySeries[], request: ForecastRequest): Promise<void> {
  await jobs.query(
    `CREATE OR REPLACE TABLE ${table} (series_key STRING NOT NULL, date_day DATE NOT NULL, value FLOAT64 NOT NULL)
OPTIONS(expiration_timestamp = ${timestampLiteral(expiresAt)})`,
  );
  const points = series.flatMap((s) => s.values.map((value, i) => ({ series_key: s.key, date_day: addDays(s.start, i), value })));
  for (const chunk of chunks(points, POINTS_PER_STATEMENT)) {
    throwIfAborted(request, 'training');
    await jobs.query(`INSERT INTO ${table} (series_key, date_day, value)\nSELECT p.series_key, p.date_day, p.value FROM UNNEST(@points) AS p`, {
      params: { points: chunk },
      types: { points: rowsParamType(POINT_COLUMNS) },
    });
  }
}

/** CREATE MODEL and the ALTER MODEL that expires it, as one script (one job). */
export const createScratchModelScript = (create: string, expire: string): string => `${create};\n${expire};`;

/** A short random token for {@link ModelContext.token}. */
export const createScratchToken = (): string => randomUUID().replaceAll('-', '').slice(0, 8);
