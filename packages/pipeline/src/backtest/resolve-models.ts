import { ARIMA_PLUS, ConfigError, SEASONAL_NAIVE, V1_AUTO_ARIMA, type Forecaster, type Warehouse } from '@funnelcast/core';
import type { FitPool } from '../parallel/fit-pool.js';
import type { BacktestModel } from './backtest-types.js';

/** The configured pipeline: segment SQL model + distribution, MQL model per combination, SQOs by conversion. */
export const PRODUCTION_MODEL = 'production';

/** The models a backtest compares when none are named. */
export const DEFAULT_BACKTEST_MODELS: readonly string[] = [PRODUCTION_MODEL, 'v1', 'naive'];

/** A model ready to backtest: the production pipeline, or a forecaster run per combination on each stage. */
export type ResolvedModel = { readonly name: string; readonly production: true } | { readonly name: string; readonly forecaster: Forecaster };

/**
 * `v1` is the old way: an automatic ARIMA per Channel × Source. On BigQuery that is ARIMA_PLUS, as in the seed's
 * validation; embedded it is the models package's AutoARIMA (`v1-auto-arima`), with a weekly seasonal term where
 * ARIMA_PLUS would decompose the week.
 */
async function peer(name: string, warehouse: Warehouse, pool?: FitPool): Promise<Forecaster> {
  const embedded = async (model: string) => {
    const forecaster = (await import('@funnelcast/models')).createForecaster(model);
    return pool ? pool.forecaster(forecaster) : forecaster;
  };
  if (name === 'v1') return warehouse.forecaster?.(ARIMA_PLUS, 'backtest') ?? (await embedded(V1_AUTO_ARIMA));
  if (name === 'naive') return embedded(SEASONAL_NAIVE);
  const inWarehouse = warehouse.forecaster?.(name, 'backtest');
  if (inWarehouse) return inWarehouse;
  const { EMBEDDED_MODELS } = await import('@funnelcast/models');
  if (!EMBEDDED_MODELS.includes(name)) {
    const allowed = [...DEFAULT_BACKTEST_MODELS, ...EMBEDDED_MODELS].join(', ');
    throw new ConfigError([{ where: 'models', message: `unknown model ${JSON.stringify(name)}; allowed: ${allowed}` }]);
  }
  return embedded(name);
}

/**
 * Turns model names and forecasters into runnable models, in the order given; with a `pool`, the embedded ones fit on
 * its threads.
 * @throws ConfigError for an unknown name (listing the allowed ones) or a name given twice.
 */
export async function resolveModels(models: readonly BacktestModel[], warehouse: Warehouse, pool?: FitPool): Promise<ResolvedModel[]> {
  const out: ResolvedModel[] = [];
  for (const model of models) {
    if (typeof model !== 'string') out.push({ name: model.name, forecaster: model });
    else if (model === PRODUCTION_MODEL) out.push({ name: PRODUCTION_MODEL, production: true });
    else out.push({ name: model, forecaster: await peer(model, warehouse, pool) });
  }
  const names = out.map((m) => m.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (names.length === 0) throw new ConfigError([{ where: 'models', message: `no models to compare; e.g. ${DEFAULT_BACKTEST_MODELS.join(',')}` }]);
  if (twice.length > 0) throw new ConfigError([{ where: 'models', message: `names ${[...new Set(twice)].join(', ')} twice` }]);
  return out;
}
