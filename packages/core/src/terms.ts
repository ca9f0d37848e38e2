/**
 * The part of @funnelcast/core a command line needs to describe itself and report: the vocabulary, dates, column
 * declarations, errors, landings and the model-selection names — without the config schema, so importing it does not load zod. A cold
 * `funnelcast --help` loads this entry only; the commands load the whole core when they run.
 */
export {
  ARIMA_PLUS,
  combinationKey,
  DEFAULT_HORIZON,
  MAX_HORIZON,
  FUNNEL_COHORT,
  MSTL_ETS,
  SEASONAL_NAIVE,
  STAGE_LABELS,
  STAGES,
  V1_AUTO_ARIMA,
  V31_BQML,
  V3_RIDGE,
  type Combination,
  type Stage,
} from './vocabulary.js';
export {
  asOfOrToday,
} from './dates.js';
export {
  FORECAST_RUNS,
  MODEL_SELECTION,
  SEGMENT_MAPPING,
  type MappingRow,
  type ProductionRow,
} from './columns.js';
export {
  ConfigError,
  FunnelcastError,
  InputError,
  InvariantViolationError,
  NotFoundError,
  TransientError,
} from './errors.js';
export {
  LANDING_PERIODS,
  landings,
  periodLabel,
  periodStart,
  type Landing,
  type LandingPeriod,
} from './landings.js';
export {
  ENSEMBLE,
  type SelectionGroup,
} from './model-selection.js';
