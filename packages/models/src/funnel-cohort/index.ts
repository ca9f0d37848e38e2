/** The funnel-aware cohort model: SQLs from open MQLs by age and forecast MQLs, by MQL→SQL conversion and lag. */
export { forecastFunnelSqls, funnelSqlsBySegment, type FunnelSqlInput } from './forecast-funnel-sqls.js';
export {
  completionByAge,
  mqlConversionRates,
  type MqlConversionInput,
  type MqlConversionRate,
  type MqlConversionRates,
} from './mql-conversion-rates.js';
