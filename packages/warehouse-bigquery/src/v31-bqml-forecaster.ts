import { addDays, daysBetween, InputError, V31_BQML, type ForecasterUse, type Forecaster, type ForecastRequest, type IsoDate, type PredictiveSeries } from '@funnelcast/core';
import { boostedTreeModelSql, LONGEST_LAG_DAYS, v31ForecastScript, v31TrainingSql } from './bqml-sql.js';
import { checkRequest, throwIfAborted } from './forecast-request.js';
import type { JobRunner, QueryInput } from './job-runner.js';
import { latestTrainedVersion } from './model-registry.js';
import { decodeValue, rowsParamType } from './row-values.js';
import { createScratchModelScript, loadScratchSeries, scratchModel, type ModelContext } from './scratch-models.js';

const HISTORY_COLUMNS = [
  { name: 'super_segment', type: 'STRING' },
  { name: 'date_day', type: 'DATE' },
  { name: 'sqls', type: 'FLOAT64' },
] as const;

/** The parameters of {@link v31ForecastScript}: the SQL history by segment and day, the as-of date and the horizon. */
export function v31ForecastInput(history: readonly { super_segment: string; date_day: string; sqls: number }[], asOf: IsoDate, horizon: number): Required<QueryInput> {
  return { params: { history, as_of: asOf, horizon }, types: { history: rowsParamType(HISTORY_COLUMNS), as_of: 'DATE', horizon: 'INT64' } };
}

/** Runs the one-job recursive forecast ({@link v31ForecastScript}) of `model` from the request's series. */
async function predict(jobs: JobRunner, model: string, request: ForecastRequest): Promise<PredictiveSeries[]> {
  const { asOf, horizon, series } = request;
  const history = series.flatMap((s) => s.values.map((sqls, i) => ({ super_segment: s.key, date_day: addDays(s.start, i), sqls })));
  const rows = await jobs.query(v31ForecastScript(model), v31ForecastInput(history, asOf, horizon));
  const byKey = new Map(series.map((s) => [s.key, new Array<number>(horizon).fill(NaN)]));
  for (const row of rows) {
    const day = daysBetween(asOf, String(decodeValue('DATE', row.date_day)));
    const out = byKey.get(String(row.super_segment));
    if (out && day >= 0 && day < horizon) out[day] = Math.max(0, Number(row.predicted_target_sqls));
  }
  const missing = [...byKey].filter(([, mean]) => !mean.every(Number.isFinite));
  if (missing.length) {
    throw new InputError(
      missing.map(([key]) => ({ where: `series ${JSON.stringify(key)}`, message: `ML.PREDICT returned no prediction for some of the ${horizon} days from ${asOf}` })),
      'The V3.1 model did not score every segment:',
    );
  }
  return [...byKey].map(([key, mean]) => ({ key, mean, variance: [...mean], method: V31_BQML }));
}

/**
 * `v3.1-bqml`: the V3.1 boosted tree via `ML.PREDICT`, one series per super-segment (the series key). Lags of future
 * days come from the model's own earlier predictions — a regressor fed NULL lags silently predicts the training
 * mean — so the horizon is walked day by day inside ONE BigQuery script (a loop over a temporary table), whose
 * features come from the same SQL definition as training's ({@link v31ForecastScript}).
 *
 * In a refresh it reads the latest version `funnelcast train` recorded, or, before the first training, the model
 * named `sqlModelName` itself (the seed's model). In a backtest it trains a scratch regressor per origin on the series
 * it is given, expiring like the ARIMA_PLUS ones.
 *
 * The tree has no interval of its own: the variance is Poisson's (the mean), which leaves out the error of the
 * recursion itself, so its intervals are narrower than its backtests' errors; nothing widens them yet.
 * `onProgress` reports the whole horizon at once (one job).
 */
export function createV31BqmlForecaster(context: ModelContext, base: string, use: ForecasterUse): Forecaster {
  const { jobs } = context;
  async function modelOf(request: ForecastRequest): Promise<string> {
    if (use === 'refresh') return context.modelPath((await latestTrainedVersion(jobs, context.ref, context.target, 'sqls'))?.modelName ?? base);
    const model = scratchModel(context, base, request);
    await loadScratchSeries(jobs, model.training, model.expiresAt, request.series, request);
    const earliest = request.series.reduce((first, s) => (s.start < first ? s.start : first), request.asOf);
    const days = `(SELECT series_key AS super_segment, date_day, value AS sqls FROM ${model.training})`;
    await jobs.query(createScratchModelScript(boostedTreeModelSql(model.path, v31TrainingSql(days, addDays(earliest, LONGEST_LAG_DAYS))), model.expire));
    return model.path;
  }
  return {
    name: V31_BQML,
    async forecast(request) {
      checkRequest(request);
      if (request.series.length === 0) return [];
      const model = await modelOf(request);
      throwIfAborted(request, 'forecasting');
      const result = await predict(jobs, model, request);
      request.onProgress?.(request.horizon, request.horizon);
      return result;
    },
  };
}
