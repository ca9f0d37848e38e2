/**
 * @funnelcast/models — the embedded forecasters behind core's `Forecaster` port. Each returns, per series and
 * horizon day, a mean and a predictive variance on the count scale; core turns them into count quantiles.
 */
export { createMstlEtsForecaster, MSTL_ETS, type MstlEtsOptions } from './mstl-ets-forecaster.js';
export { createPoissonRidgeForecaster, V3_RIDGE, type PoissonRidgeOptions } from './poisson-ridge-forecaster.js';
export { createSeasonalNaiveForecaster, SEASONAL_NAIVE } from './seasonal-naive-forecaster.js';
export { createForecaster, EMBEDDED_MODELS } from './forecaster-registry.js';
export { ALL_ZERO_METHOD, FALLBACK_METHOD, INTERMITTENT_METHOD } from './with-fallback.js';
export type { IntermittencyRule, RecentRateOptions } from './recent-rate.js';
export { createAutoArimaForecaster, V1_AUTO_ARIMA } from './auto-arima-forecaster.js';
export * from './funnel-cohort/index.js';
