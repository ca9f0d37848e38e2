/**
 * @funnelcast/models — the embedded forecasters behind core's `Forecaster` port. Each returns, per series and
 * horizon day, a mean and a predictive variance on the count scale; core turns them into count quantiles.
 */
export { createForecaster, EMBEDDED_MODELS } from './forecaster-registry.js';
export { forecastFunnelSqls, funnelSqlsBySegment } from './funnel-cohort/forecast-funnel-sqls.js';
