import { ConfigError, MSTL_ETS, SEASONAL_NAIVE, V1_AUTO_ARIMA, V3_RIDGE, type Forecaster } from '@funnelcast/core';
import { createAutoArimaForecaster } from './auto-arima/auto-arima-forecaster.js';
import { createMstlEtsForecaster } from './mstl-ets/mstl-ets-forecaster.js';
import { createPoissonRidgeForecaster } from './poisson-ridge/poisson-ridge-forecaster.js';
import { createSeasonalNaiveForecaster } from './seasonal-naive/seasonal-naive-forecaster.js';

const FACTORIES: Readonly<Record<string, () => Forecaster>> = {
  [MSTL_ETS]: () => createMstlEtsForecaster(),
  [V3_RIDGE]: () => createPoissonRidgeForecaster(),
  [SEASONAL_NAIVE]: () => createSeasonalNaiveForecaster(),
  [V1_AUTO_ARIMA]: () => createAutoArimaForecaster(),
};

/** The names {@link createForecaster} knows: the embedded models, with their default options. */
export const EMBEDDED_MODELS: readonly string[] = Object.keys(FACTORIES);

/**
 * The embedded forecaster of that name, with default options. Models that run in the warehouse (`arima-plus`,
 * `v3.1-bqml`) are not here: the warehouse provides them.
 *
 * @throws ConfigError naming the allowed values when the name is unknown.
 */
export function createForecaster(name: string): Forecaster {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) {
    throw new ConfigError([
      { where: 'model', message: `unknown embedded model ${JSON.stringify(name)}; allowed: ${EMBEDDED_MODELS.join(', ')}` },
    ]);
  }
  return factory();
}
