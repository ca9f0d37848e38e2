import type { AllowedHintsAndOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/AllowedHintsAndOptionsProto.js';

/**
 * The OPTIONS BigQuery documents for tables, columns, views and models (CREATE MODEL for ARIMA_PLUS and boosted
 * trees), with their types. GoogleSQL knows no product's options, so it checks OPTIONS(…) against this list: an
 * unknown name is refused, a value of the wrong type too. `null` is an option whose type varies (a string or an
 * array of strings). A new option funnelcast sends must be added here, from BigQuery's DDL documentation.
 */
const OPTIONS: Readonly<Record<string, 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'ARRAY<STRING>' | null>> = {
  // Tables, views, columns.
  description: 'STRING',
  friendly_name: 'STRING',
  expiration_timestamp: 'TIMESTAMP',
  partition_expiration_days: 'FLOAT64',
  require_partition_filter: 'BOOL',
  labels: null,
  kms_key_name: 'STRING',
  // CREATE MODEL, any model.
  model_type: 'STRING',
  input_label_cols: 'ARRAY<STRING>',
  model_registry: 'STRING',
  vertex_ai_model_id: 'STRING',
  data_split_method: 'STRING',
  data_split_eval_fraction: 'FLOAT64',
  data_split_col: 'STRING',
  enable_global_explain: 'BOOL',
  category_encoding_method: 'STRING',
  // ARIMA_PLUS.
  time_series_timestamp_col: 'STRING',
  time_series_data_col: 'STRING',
  time_series_id_col: null,
  horizon: 'INT64',
  auto_arima: 'BOOL',
  auto_arima_max_order: 'INT64',
  auto_arima_min_order: 'INT64',
  non_seasonal_order: null,
  data_frequency: 'STRING',
  include_drift: 'BOOL',
  holiday_region: null,
  clean_spikes_and_dips: 'BOOL',
  adjust_step_changes: 'BOOL',
  decompose_time_series: 'BOOL',
  time_series_length_fraction: 'FLOAT64',
  min_time_series_length: 'INT64',
  max_time_series_length: 'INT64',
  trend_smoothing_window_size: 'INT64',
  forecast_limit_lower_bound: 'FLOAT64',
  forecast_limit_upper_bound: 'FLOAT64',
  seasonalities: 'ARRAY<STRING>',
  hierarchical_time_series_cols: 'ARRAY<STRING>',
  // BOOSTED_TREE_REGRESSOR.
  booster_type: 'STRING',
  num_parallel_tree: 'INT64',
  dart_normalize_type: 'STRING',
  tree_method: 'STRING',
  min_tree_child_weight: 'INT64',
  colsample_bytree: 'FLOAT64',
  colsample_bylevel: 'FLOAT64',
  colsample_bynode: 'FLOAT64',
  min_split_loss: 'FLOAT64',
  max_tree_depth: 'INT64',
  subsample: 'FLOAT64',
  l1_reg: 'FLOAT64',
  l2_reg: 'FLOAT64',
  max_iterations: 'INT64',
  learn_rate: 'FLOAT64',
  early_stop: 'BOOL',
  min_rel_progress: 'FLOAT64',
  instance_weight_col: 'STRING',
};

const TYPES = {
  STRING: { typeKind: 'TYPE_STRING' },
  INT64: { typeKind: 'TYPE_INT64' },
  FLOAT64: { typeKind: 'TYPE_DOUBLE' },
  BOOL: { typeKind: 'TYPE_BOOL' },
  TIMESTAMP: { typeKind: 'TYPE_TIMESTAMP' },
  'ARRAY<STRING>': { typeKind: 'TYPE_ARRAY', arrayType: { elementType: { typeKind: 'TYPE_STRING' } } },
} as const;

/** BigQuery's documented OPTIONS, unknown ones refused. */
export const BIGQUERY_OPTIONS: AllowedHintsAndOptionsProto = {
  disallowUnknownOptions: true,
  option: Object.entries(OPTIONS).map(([name, type]) => (type ? { name, type: TYPES[type] } : { name })),
};
