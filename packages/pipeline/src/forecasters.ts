import { AUTO_CANDIDATES, AUTO_MODEL, ConfigError, IN_WAREHOUSE_MODELS, MSTL_ETS, SEASONAL_NAIVE, V3_RIDGE, type Forecaster, type ForecasterUse, type FunnelcastConfig, type Warehouse } from '@funnelcast/core';
import type { FitPool } from './parallel/fit-pool.js';
import type { StageForecasters } from './selection/forecast-stages.js';

const IN_WAREHOUSE: ReadonlySet<string> = new Set(IN_WAREHOUSE_MODELS);

async function resolve(stage: 'mqls' | 'sqls', model: string, warehouse: Warehouse, use: ForecasterUse, pool?: FitPool): Promise<Forecaster> {
  if (IN_WAREHOUSE.has(model)) {
    const forecaster = warehouse.forecaster?.(model, use);
    if (!forecaster) {
      throw new ConfigError([
        { where: `models.${stage}`, message: `${model} runs inside BigQuery, but this target is ${warehouse.kind}; use an embedded model (mqls: ${MSTL_ETS}, sqls: ${V3_RIDGE})` },
      ]);
    }
    return forecaster;
  }
  const { createForecaster } = await import('@funnelcast/models');
  // Created here even for the pool: an unknown name fails now, with the registry's message.
  const forecaster = createForecaster(model);
  return pool ? pool.forecaster(forecaster) : forecaster;
}

async function candidates(stage: 'mqls' | 'sqls', model: string, warehouse: Warehouse, use: ForecasterUse, pool?: FitPool): Promise<Forecaster[]> {
  const names = model === AUTO_MODEL ? AUTO_CANDIDATES[stage] : [model];
  return Promise.all(names.map((name) => resolve(stage, name, warehouse, use, pool)));
}

/**
 * The candidates of each modelled stage — the configured model alone, or `auto`'s list with its default first — and
 * the guardrails' robust model. In-warehouse models read their trained versions in a refresh and train scratch
 * models per origin in a backtest (`use`). With a `pool`, the embedded models fit on its threads.
 */
export async function resolveForecasters(config: FunnelcastConfig, warehouse: Warehouse, use: ForecasterUse = 'refresh', pool?: FitPool): Promise<StageForecasters> {
  return {
    mqls: await candidates('mqls', config.models.mqls, warehouse, use, pool),
    sqls: await candidates('sqls', config.models.sqls, warehouse, use, pool),
    funnelSqls: config.models.sqls === AUTO_MODEL,
    robust: await resolve('mqls', SEASONAL_NAIVE, warehouse, use, pool),
  };
}
