import {
  ARIMA_PLUS,
  combinationKey,
  ConfigError,
  daysBetween,
  InputError,
  type DailySeries,
  type ForecasterUse,
  type Forecaster,
  type ForecastRequest,
  type PredictiveSeries,
} from '@funnelcast/core';
import { arimaForecastSql, arimaPlusModelSql, MQL_SERIES_COLUMNS } from './bqml-sql.js';
import { checkRequest, throwIfAborted } from './forecast-request.js';
import { latestTrainedVersion } from './model-registry.js';
import { createScratchModelScript, loadScratchSeries, scratchModel, type ModelContext } from './scratch-models.js';

/** Standard normal quantiles of the two central levels ML.FORECAST is asked for. */
export const Z = { 0.5: 0.6744897501960817, 0.95: 1.959963984540054 } as const;

/** The method of a series the trained model has not seen: its recent mean (see {@link createArimaPlusForecaster}). */
export const UNTRAINED_SERIES_METHOD = 'recent-mean';

/** Days of the recent mean that stands in for a series the trained model has not seen. */
const RECENT_DAYS = 28;

/**
 * The predictive variance implied by a forecast's two central intervals, read as normal intervals: the 95% band
 * gives `((upper − lower) / (2 · 1.96))²`. The 50% band is asked for too; when it implies a larger spread (a
 * heavy-tailed model), the larger variance is kept so neither published band comes out narrower than the model's.
 */
export function intervalVariance(lower95: number, upper95: number, lower50: number, upper50: number): number {
  const sd95 = (upper95 - lower95) / (2 * Z[0.95]);
  const sd50 = (upper50 - lower50) / (2 * Z[0.5]);
  return Math.max(sd95, sd50, 0) ** 2;
}

/** Mean and variance per horizon day of each key, from the ML.FORECAST rows dated in the request's horizon (earlier days are skipped). */
function readForecast(rows: readonly Record<string, unknown>[], keyOf: (row: Record<string, unknown>) => string, request: ForecastRequest) {
  const { asOf, horizon } = request;
  const byKey = new Map<string, { mean: number[]; variance: number[] }>();
  for (const row of rows) {
    const day = daysBetween(asOf, String((row.forecast_date as { value?: unknown })?.value ?? row.forecast_date));
    if (day < 0 || day >= horizon) continue;
    const key = keyOf(row);
    let out = byKey.get(key);
    if (!out) byKey.set(key, (out = { mean: new Array<number>(horizon).fill(NaN), variance: new Array<number>(horizon).fill(NaN) }));
    const n = (name: string) => Number(row[name]);
    out.mean[day] = Math.max(0, n('forecast_value'));
    out.variance[day] = intervalVariance(n('lower_95'), n('upper_95'), n('lower_50'), n('upper_50'));
  }
  return byKey;
}

const complete = (out: { mean: number[]; variance: number[] } | undefined) =>
  out !== undefined && out.mean.every(Number.isFinite) && out.variance.every(Number.isFinite);

function recentMean(series: DailySeries, horizon: number): PredictiveSeries {
  const recent = series.values.slice(-RECENT_DAYS);
  const mean = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
  return { key: series.key, mean: new Array<number>(horizon).fill(mean), variance: new Array<number>(horizon).fill(mean), method: UNTRAINED_SERIES_METHOD };
}

// A backtest origin: train a scratch model on exactly the request's series, then forecast from it.
async function scratchForecast(context: ModelContext, base: string, request: ForecastRequest): Promise<PredictiveSeries[]> {
  const { jobs } = context;
  const model = scratchModel(context, base, request);
  await loadScratchSeries(jobs, model.training, model.expiresAt, request.series, request);
  throwIfAborted(request, 'training');
  const create = arimaPlusModelSql(model.path, { idColumns: ['series_key'], dataColumn: 'value', horizon: request.horizon }, context.settings, `SELECT series_key, date_day, value FROM ${model.training}`);
  await jobs.query(createScratchModelScript(create, model.expire));
  throwIfAborted(request, 'forecasting');
  const byKey = readForecast(await jobs.query(arimaForecastSql(model.path, ['series_key'], request.horizon)), (row) => String(row.series_key), request);
  const missing = request.series.filter((s) => !complete(byKey.get(s.key)));
  if (missing.length) {
    throw new InputError(
      missing.map((s) => ({ where: `series ${JSON.stringify(s.key)}`, message: `ML.FORECAST returned no value for some of the ${request.horizon} days from ${request.asOf}` })),
      'ARIMA_PLUS did not forecast every series:',
    );
  }
  return request.series.map((s) => ({ key: s.key, ...byKey.get(s.key)!, method: ARIMA_PLUS }));
}

// A refresh: read the latest trained version, which forecasts from the end of its training data.
async function trainedForecast(context: ModelContext, request: ForecastRequest): Promise<PredictiveSeries[]> {
  const { jobs, target } = context;
  const { asOf, horizon } = request;
  const trained = await latestTrainedVersion(jobs, context.ref, target, 'mqls');
  if (!trained) {
    throw new ConfigError([
      { where: 'models.mqls', message: `arima-plus reads the ARIMA_PLUS model \`funnelcast train\` creates, and target ${target} has none yet: run \`funnelcast train --target ${target}\` (the worker then retrains it on training.cron)` },
    ]);
  }
  const skip = daysBetween(trained.dataEnd, asOf);
  if (skip < 0 || skip + horizon > context.settings.arimaHorizon) {
    const why = skip < 0 ? `learnt from days up to ${trained.dataEnd}, after the as-of date ${asOf}` : `reaches ${context.settings.arimaHorizon} days past ${trained.dataEnd} (training.arimaHorizon), short of ${horizon} days from ${asOf}`;
    throw new ConfigError([{ where: 'models.mqls', message: `the trained ARIMA_PLUS model ${trained.modelName} ${why}: run \`funnelcast train --target ${target}\` with data up to the as-of date, or use an embedded MQL model` }]);
  }
  const rows = await jobs.query(arimaForecastSql(context.modelPath(trained.modelName), MQL_SERIES_COLUMNS, skip + horizon));
  const byKey = readForecast(rows, (row) => combinationKey({ channel: String(row.channel_grouping_name), source: String(row.original_source) }), request);
  return request.series.map((s) => {
    const out = byKey.get(s.key);
    return complete(out) ? { key: s.key, ...out!, method: ARIMA_PLUS } : recentMean(s, horizon);
  });
}

/**
 * `arima-plus`: BigQuery ML's ARIMA_PLUS, one series per Channel × Source (`time_series_id_col`), read with two
 * `ML.FORECAST` calls at confidence levels 0.5 and 0.95 in one query; means are floored at zero (ARIMA knows no counts).
 *
 * In a refresh it never trains: it reads the latest version `funnelcast train` recorded in `model_evaluations`,
 * skipping the days between the end of its training data and the as-of date, and refuses (naming `funnelcast train`)
 * when the target has none. A combination the model has not seen — its first MQL came after the training — is forecast
 * by its last 28 days' mean with Poisson variance (method `recent-mean`) until the next training includes it.
 *
 * In a backtest it trains a scratch model per origin on exactly the series it is given (named after the target and
 * origin, deleted by BigQuery after `training.scratchModelHours`), so origins and targets never share a model.
 */
export function createArimaPlusForecaster(context: ModelContext, base: string, use: ForecasterUse): Forecaster {
  return {
    name: ARIMA_PLUS,
    ...(use === 'refresh' ? { onlyFromTrainingEnd: true } : {}),
    async forecast(request) {
      checkRequest(request);
      if (request.series.length === 0) return [];
      const result = use === 'refresh' ? await trainedForecast(context, request) : await scratchForecast(context, base, request);
      request.onProgress?.(request.series.length, request.series.length);
      return result;
    },
  };
}
