import { LEADS, PUBLISHED_VIEWS, type ColumnDeclaration, type ColumnType } from '@funnelcast/core';
import { TABLES } from '../ddl.js';
import type { SimpleCatalogProto, TypeProto } from './googlesql-client.js';

/**
 * The catalog GoogleSQL analyses a statement against, built from the same declarations the DDL comes from (the
 * adapter's {@link TABLES} and core's published views), the leads contract, and the models the statement names,
 * with BigQuery ML's table functions and their documented output schemas.
 */

/** A column as the analyser sees it. */
export interface CatalogColumn {
  readonly name: string;
  readonly type: TypeProto;
}

/** What the analyser needs of a BigQuery ML model: its kind, labels (regressors) and series id columns (ARIMA_PLUS). */
export interface ModelSchema {
  readonly kind: 'regressor' | 'time_series';
  readonly labels: readonly CatalogColumn[];
  readonly idColumns: readonly CatalogColumn[];
}

const KINDS: Readonly<Record<ColumnType, NonNullable<TypeProto['typeKind']>>> = {
  STRING: 'TYPE_STRING',
  DATE: 'TYPE_DATE',
  TIMESTAMP: 'TYPE_TIMESTAMP',
  INT64: 'TYPE_INT64',
  FLOAT64: 'TYPE_DOUBLE',
  BOOL: 'TYPE_BOOL',
};

/** The GoogleSQL type of a declared column type. */
export const typeOf = (type: ColumnType): TypeProto => ({ typeKind: KINDS[type] });

const columns = (declared: readonly Pick<ColumnDeclaration, 'name' | 'type'>[]): CatalogColumn[] =>
  declared.map((c) => ({ name: c.name, type: typeOf(c.type) }));

/** The legacy daily-counts shape a target's `leads.dailyCountsTable` names. */
export const DAILY_COUNTS: readonly Pick<ColumnDeclaration, 'name' | 'type'>[] = [
  { name: 'date_day', type: 'DATE' },
  { name: 'Channel_Grouping_Name', type: 'STRING' },
  { name: 'Original_source', type: 'STRING' },
  { name: 'super_segment', type: 'STRING' },
  { name: 'mqls_daily', type: 'INT64' },
  { name: 'sqls_daily', type: 'INT64' },
  { name: 'sqos_daily', type: 'INT64' },
];

// By table name, in any project and dataset: the test server's leads are `leads`, its daily counts `daily_counts`.
const DECLARED = new Map<string, CatalogColumn[]>([
  ...TABLES.map((t) => [t.name, columns(t.columns)] as const),
  ...PUBLISHED_VIEWS.map((v) => [v.name, columns(v.columns)] as const),
  ['leads', columns(LEADS.columns)],
  ['daily_counts', columns(DAILY_COUNTS)],
]);

/** The declared columns of the relation a table path names (its last part), if funnelcast declares one. */
export function declaredRelation(path: readonly string[]): CatalogColumn[] | undefined {
  return DECLARED.get(path.join('.').split('.').pop() ?? '');
}

const float = (name: string): CatalogColumn => ({ name, type: { typeKind: 'TYPE_DOUBLE' } });
const int = (name: string): CatalogColumn => ({ name, type: { typeKind: 'TYPE_INT64' } });
const bool = (name: string): CatalogColumn => ({ name, type: { typeKind: 'TYPE_BOOL' } });
const string = (name: string): CatalogColumn => ({ name, type: { typeKind: 'TYPE_STRING' } });

// The documented output columns of each BigQuery ML function, after the model's series id columns where it has them.
const FORECAST = [
  { name: 'forecast_timestamp', type: { typeKind: 'TYPE_TIMESTAMP' } },
  ...['forecast_value', 'standard_error', 'confidence_level', 'prediction_interval_lower_bound', 'prediction_interval_upper_bound'].map(float),
  ...['confidence_interval_lower_bound', 'confidence_interval_upper_bound'].map(float),
] satisfies CatalogColumn[];
const EXPLAIN_FORECAST = [
  { name: 'time_series_timestamp', type: { typeKind: 'TYPE_TIMESTAMP' } },
  string('time_series_type'),
  ...['time_series_data', 'time_series_adjusted_data', 'standard_error', 'confidence_level'].map(float),
  ...['prediction_interval_lower_bound', 'prediction_interval_upper_bound', 'trend'].map(float),
  ...['yearly', 'quarterly', 'monthly', 'weekly', 'daily'].map((p) => float(`seasonal_period_${p}`)),
  ...['holiday_effect', 'spikes_and_dips', 'step_changes', 'residual'].map(float),
] satisfies CatalogColumn[];
const ARIMA_EVALUATE = [
  ...['non_seasonal_p', 'non_seasonal_d', 'non_seasonal_q'].map(int),
  bool('has_drift'),
  ...['log_likelihood', 'AIC', 'variance'].map(float),
  { name: 'seasonal_periods', type: { typeKind: 'TYPE_ARRAY', arrayType: { elementType: { typeKind: 'TYPE_STRING' } } } },
  ...['has_holiday_effect', 'has_spikes_and_dips', 'has_step_changes'].map(bool),
  string('error_message'),
] satisfies CatalogColumn[];
const REGRESSION_EVALUATE = ['mean_absolute_error', 'mean_squared_error', 'mean_squared_log_error', 'median_absolute_error', 'r2_score', 'explained_variance'].map(float);
const FORECAST_EVALUATE = ['mean_absolute_error', 'mean_squared_error', 'root_mean_squared_error', 'mean_absolute_percentage_error', 'symmetric_mean_absolute_percentage_error'].map(float);

type Argument = NonNullable<NonNullable<NonNullable<SimpleCatalogProto['customTvf']>[number]['signature']>['argument']>[number];
const MODEL: Argument = { kind: 'ARG_TYPE_MODEL', numOccurrences: 1 };
const RELATION: Argument = { kind: 'ARG_TYPE_RELATION', numOccurrences: 1 };
const optional = (argument: Argument): Argument => ({ ...argument, options: { cardinality: 'OPTIONAL' } });
// The settings STRUCT (horizon, confidence_level, threshold …) has fields that vary by function and call.
const SETTINGS = optional({ kind: 'ARG_TYPE_ARBITRARY', numOccurrences: 1 });

function tvf(name: string, args: Argument[], output: readonly CatalogColumn[]): NonNullable<SimpleCatalogProto['customTvf']>[number] {
  return {
    namePath: ['ML', name],
    type: 'FIXED_OUTPUT_SCHEMA_TVF',
    signature: { argument: args, returnType: { ...RELATION, options: { relationInputSchema: { column: [...output] } } } },
  };
}

/**
 * BigQuery ML's table functions for a statement using `model`. Their output depends on the model (its series id
 * columns, its labels) and, for ML.PREDICT, on the input rows, which GoogleSQL's signatures cannot express; so they
 * are fixed per statement: `predictInput` is the schema of the statement's ML.PREDICT input.
 */
function mlFunctions(model: ModelSchema | undefined, predictInput: readonly CatalogColumn[]): SimpleCatalogProto {
  const ids = model?.idColumns ?? [];
  const predicted = (model?.labels ?? []).map((label) => ({ name: `predicted_${label.name}`, type: label.type }));
  return {
    name: 'ML',
    customTvf: [
      tvf('FORECAST', [MODEL, SETTINGS], [...ids, ...FORECAST]),
      tvf('EXPLAIN_FORECAST', [MODEL, SETTINGS], [...ids, ...EXPLAIN_FORECAST]),
      tvf('ARIMA_EVALUATE', [MODEL, SETTINGS], [...ids, ...ARIMA_EVALUATE]),
      tvf('EVALUATE', [MODEL, optional(RELATION), SETTINGS], model?.kind === 'time_series' ? [...ids, ...FORECAST_EVALUATE] : REGRESSION_EVALUATE),
      tvf('PREDICT', [MODEL, RELATION, SETTINGS], [...predicted, ...predictInput.filter((c) => !predicted.some((p) => p.name === c.name))]),
    ],
  };
}

/** What one statement's catalog holds. */
export interface CatalogContents {
  /** Relations by the path the statement names them with. */
  readonly tables: readonly { readonly path: readonly string[]; readonly columns: readonly CatalogColumn[] }[];
  /** Models by the path the statement names them with. */
  readonly models: readonly { readonly path: readonly string[]; readonly schema: ModelSchema }[];
  /** The schema of the rows the statement's ML.PREDICT scores, if it has one. */
  readonly predictInput?: readonly CatalogColumn[];
  /**
   * The variables of the script the statement is in: named constants of the catalog, which unqualified names resolve
   * to (after the columns in scope), as BigQuery resolves a script's variables.
   */
  readonly variables?: readonly CatalogColumn[];
}

// Paths nest as BigQuery's do when written in parts (dataset.table); a backquoted `project.dataset.table` is one name.
function place(root: SimpleCatalogProto, path: readonly string[]): SimpleCatalogProto {
  let catalog = root;
  for (const part of path.slice(0, -1)) {
    catalog.catalog ??= [];
    let sub = catalog.catalog.find((c) => c.name?.toLowerCase() === part.toLowerCase());
    if (!sub) catalog.catalog.push((sub = { name: part }));
    catalog = sub;
  }
  return catalog;
}

/** The catalog of one statement: its relations and models where it names them, the ML functions, the script's variables. */
export function buildCatalog(contents: CatalogContents): SimpleCatalogProto {
  const root: SimpleCatalogProto = { name: '' };
  for (const { path, columns: cols } of contents.tables) {
    const catalog = place(root, path);
    const name = path.at(-1) ?? '';
    if (catalog.table?.some((t) => t.name?.toLowerCase() === name.toLowerCase())) continue;
    (catalog.table ??= []).push({ name, column: cols.map((c) => ({ name: c.name, type: c.type })) });
  }
  contents.models.forEach(({ path }, i) => {
    const catalog = place(root, path);
    (catalog.model ??= []).push({ name: path.at(-1) ?? '', id: i + 1 });
  });
  (root.catalog ??= []).push(mlFunctions(contents.models[0]?.schema, contents.predictInput ?? []));
  if (contents.variables?.length) root.constant = contents.variables.map((v) => ({ namePath: [v.name], type: v.type }));
  return root;
}
