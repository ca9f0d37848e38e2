/**
 * @funnelcast/models — the embedded forecasters behind core's `Forecaster` port. Each returns, per series and
 * horizon day, a mean and a predictive variance on the count scale; core turns them into count quantiles.
 */
export { createMstlEtsForecaster, type MstlEtsOptions } from './mstl-ets/mstl-ets-forecaster.js';
export { createPoissonRidgeForecaster, type PoissonRidgeOptions } from './poisson-ridge/poisson-ridge-forecaster.js';
export { createSeasonalNaiveForecaster } from './seasonal-naive/seasonal-naive-forecaster.js';
export { createForecaster, EMBEDDED_MODELS } from './forecaster-registry.js';
export { ALL_ZERO_METHOD, FALLBACK_METHOD, INTERMITTENT_METHOD } from './series/with-fallback.js';
export type { IntermittencyRule, RecentRateOptions } from './recent-rate/recent-rate.js';
export { createAutoArimaForecaster } from './auto-arima/auto-arima-forecaster.js';
/** The embedded models' names, declared in core (where configuration validates them) and re-exported as before. */
export { MSTL_ETS, SEASONAL_NAIVE, V1_AUTO_ARIMA, V3_RIDGE } from '@funnelcast/core';
export * from './funnel-cohort/index.js';
