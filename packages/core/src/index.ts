/**
 * @funnelcast/core — the pure domain of funnelcast. No I/O, no clock, no environment: the as-of date, seeds and
 * data all come in as arguments, so every function here is a plain calculation that tests can pin exactly.
 */
export {
  ARIMA_PLUS,
  AUTO_MODEL,
  combinationKey,
  combinationLabel,
  DEFAULT_HORIZON,
  DEFAULT_SUPER_SEGMENTS,
  FUNNEL_COHORT,
  MAX_HORIZON,
  MSTL_ETS,
  parseCombinationKey,
  parseSegmentCombinationKey,
  SEASONAL_NAIVE,
  segmentCombinationKey,
  STAGE_LABELS,
  STAGES,
  V1_AUTO_ARIMA,
  V3_RIDGE,
  V31_BQML,
  type Combination,
  type IntervalLevel,
  type IsoDate,
  type Stage,
  type WeightMethod,
} from './vocabulary.js';
export {
  addDays,
  asOfOrToday,
  calendarParts,
  compareDates,
  dateRange,
  daysBetween,
  daysFromCivil,
  fromDayNumber,
  isIsoDate,
  startOfMonth,
  startOfNextMonth,
  startOfPreviousQuarter,
  startOfQuarter,
  toDayNumber,
  todayUtc,
} from './dates.js';
export {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  COLUMN_TYPES,
  DAILY_ACTUALS,
  FORECAST_RUNS,
  FORECAST_VS_ACTUAL,
  MODEL_EVALUATIONS,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  PUBLISHED_VIEWS,
  RELATIONS,
  SEGMENT_MAPPING,
  type BacktestResultRow,
  type BacktestRunRecord,
  type ColumnDeclaration,
  type ColumnType,
  type ForecastVsActualRow,
  type MappingRow,
  type ModelEvaluationRow,
  type ModelSelectionRow,
  type ProductionRow,
  type RelationDeclaration,
  type RowOf,
  type RunRecord,
} from './columns.js';
export {
  LEAD_COLUMNS,
  LEAD_RULES,
  LEAD_STAGE_DATES,
  LEADS,
  leadRulesFor,
  messageParts,
  SEGMENT_RULE,
  type LeadCheck,
  type LeadCheckKind,
  type LeadCheckOf,
  type LeadColumn,
  type LeadRow,
  type LeadRule,
  type LeadRuleScope,
} from './leads-contract.js';
export {
  ConfigError,
  EnvironmentError,
  FunnelcastError,
  InputError,
  InvariantViolationError,
  NotFoundError,
  TransientError,
  type Problem,
  type RuleCount,
  type Violation,
} from './errors.js';
export {
  AUTO_CANDIDATES,
  configSchema,
  forecastSettings,
  IDENTIFIER,
  IN_WAREHOUSE_MODELS,
  MQL_MODELS,
  parseConfig,
  RETENTION_DAYS_DEFAULT,
  resolveTarget,
  SQL_MODELS,
  stableHash,
  superSegmentsLine,
  zodProblems,
  type FunnelcastConfig,
  type TargetConfig,
} from './config.js';
export type {
  CombinationSpan,
  ConversionCohort,
  DailyCounts,
  DailySeries,
  DataSummary,
  Forecaster,
  ActualsWindow,
  ForecasterUse,
  ForecastRequest,
  FunnelHistory,
  HistoryReader,
  HistoryRequest,
  MqlAgeCohort,
  MqlToSqlHistory,
  OpenSqls,
  PredictiveSeries,
  ProductionRun,
  PublishedFilter,
  RunRows,
  StoredBacktest,
  TrainedModel,
  TrainingSettings,
  TrainRequest,
  TrainResult,
  Warehouse,
} from './ports.js';
export {
  activeCombinations,
  compareCombinations,
  computeMapping,
  toMappingRows,
  withForecastProportions,
  type MappingWeight,
  type SegmentMapping,
} from './mapping.js';
export { countBounds, type ForecastBounds } from './count-distribution.js';
export { cellTotalMoments, sumTotalMoments, totalDistribution, type TotalMoments } from './total-distribution.js';
export { distributeForecast } from './distribution.js';
export { conversionCohortsFromDaily, credibilityRate, hybridRates } from './hybrid-rates.js';
export { lagDistribution, spreadByLag } from './spread-by-lag.js';
export { conversionHistory } from './conversion-history.js';
export { forecastSqos } from './sqo-forecast.js';
export { assembleProductionRows, productionRowValues, type AssemblyInput } from './assembly.js';
export { LANDING_PERIODS, landings, periodLabel, periodStart, type Landing, type LandingPeriod } from './landings.js';
export { dailyTotals, type DailyTotal } from './daily-totals.js';
export { checkInvariants } from './invariants.js';
export { captureRate, coverage, mase, meanPinball, signedPctError, wape } from './metrics.js';
export { publishedRunRecord } from './published-run.js';
export { duplicateRequestError, expiredLeaseError, leaseCutoff, leaseExpiry } from './run-lease.js';
export { detectDataEnd, effectiveAsOf, type DataEnd } from './data-end.js';
export { checkPlausible, TOTAL_GUARDRAIL, type Implausibility } from './guardrails.js';
export {
  blendSeries,
  ENSEMBLE,
  selectCandidates,
  SPLIT_STAGE,
  toSelectionRows,
  type CandidateScore,
  type SelectionGroup,
  type SelectionOrigin,
  type SelectionRule,
} from './model-selection.js';
export { runTimings, runWarnings, warningsJson } from './run-warnings.js';
export { createRng, mixSeed, type Rng } from './seeded-rng.js';
export { samplePoisson, samplePoissonByInversion } from './sample-poisson.js';
export { sampleBinomial } from './sample-binomial.js';
export { logFactorial } from './log-factorial.js';
