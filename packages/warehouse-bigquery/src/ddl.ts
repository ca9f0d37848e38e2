import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  DAILY_ACTUALS,
  FORECAST_RUNS,
  FORECAST_VS_ACTUAL,
  MODEL_EVALUATIONS,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  STAGES,
  type ColumnDeclaration,
  type ColumnType,
  type RelationDeclaration,
} from '@funnelcast/core';
import { columnList, columnName, tablePath } from './sql-names.js';

/** How each warehouse-neutral column type is stored in BigQuery (core names them as BigQuery does). */
export const BIGQUERY_TYPES: Readonly<Record<ColumnType, string>> = {
  STRING: 'STRING',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  INT64: 'INT64',
  FLOAT64: 'FLOAT64',
  BOOL: 'BOOL',
};

/** A table funnelcast writes: its declared columns and how BigQuery lays it out. */
export interface TableSpec {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnDeclaration[];
  /** A DATE column to partition by. */
  readonly partitionBy?: string;
  /** Columns to cluster by: the keys every read and delete filters on. */
  readonly clusterBy?: readonly string[];
}

/** The column a staging row carries to say which publish attempt wrote it. */
export const PUBLISH_ID: ColumnDeclaration = {
  name: 'publish_id',
  type: 'STRING',
  nullable: false,
  label: 'Publish ID',
  description: 'The publish attempt that staged the row.',
  role: 'dimension',
  group: 'run',
};

/** The backing tables of a run's rows, its mapping and its model selection, behind the latest-run views. */
export const ROWS_TABLE = BACKING_TABLES[PRODUCTION_FORECAST.name];
export const MAPPING_TABLE = BACKING_TABLES[SEGMENT_MAPPING.name];
export const SELECTION_TABLE = BACKING_TABLES[MODEL_SELECTION.name];

/** Where publish stages a run's rows before one transaction moves them into the backing tables. */
export const STAGING_TABLES = {
  [ROWS_TABLE]: `${ROWS_TABLE}_staging`,
  [MAPPING_TABLE]: `${MAPPING_TABLE}_staging`,
  [SELECTION_TABLE]: `${SELECTION_TABLE}_staging`,
} as const;

/** Every table of the BigQuery warehouse, in creation order. */
export const TABLES: readonly TableSpec[] = [
  { ...FORECAST_RUNS, clusterBy: ['run_id'] },
  {
    name: ROWS_TABLE,
    description: `Rows of every run behind ${PRODUCTION_FORECAST.name}.`,
    columns: PRODUCTION_FORECAST.columns,
    partitionBy: 'as_of',
    clusterBy: ['run_id'],
  },
  {
    name: MAPPING_TABLE,
    description: `Mapping rows of every run behind ${SEGMENT_MAPPING.name}.`,
    columns: SEGMENT_MAPPING.columns,
    clusterBy: ['run_id'],
  },
  {
    name: SELECTION_TABLE,
    description: `Model-selection rows of every run behind ${MODEL_SELECTION.name}.`,
    columns: MODEL_SELECTION.columns,
    clusterBy: ['run_id'],
  },
  {
    name: STAGING_TABLES[ROWS_TABLE],
    description: 'Rows staged by a publish in progress (emptied by the publish transaction).',
    columns: [PUBLISH_ID, ...PRODUCTION_FORECAST.columns],
    clusterBy: ['publish_id'],
  },
  {
    name: STAGING_TABLES[MAPPING_TABLE],
    description: 'Mapping rows staged by a publish in progress (emptied by the publish transaction).',
    columns: [PUBLISH_ID, ...SEGMENT_MAPPING.columns],
    clusterBy: ['publish_id'],
  },
  {
    name: STAGING_TABLES[SELECTION_TABLE],
    description: 'Model-selection rows staged by a publish in progress (emptied by the publish transaction).',
    columns: [PUBLISH_ID, ...MODEL_SELECTION.columns],
    clusterBy: ['publish_id'],
  },
  // Small (days × grains): clustered by day for the view's join and the refresh's window, not partitioned.
  { ...DAILY_ACTUALS, clusterBy: ['date_day'] },
  { ...BACKTEST_RUNS, clusterBy: ['backtest_id'] },
  { ...BACKTEST_RESULTS, clusterBy: ['backtest_id'] },
  { ...MODEL_EVALUATIONS, clusterBy: ['target', 'stage'] },
];

/** A BigQuery string literal (for descriptions, which come from core's declarations). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Where the warehouse lives, for building paths. */
export interface DatasetRef {
  readonly projectId: string;
  readonly dataset: string;
}

/** The backquoted path of one of the warehouse's own relations. */
export const relationPath = (ref: DatasetRef, name: string) => tablePath(ref.projectId, ref.dataset, name);

// A column as CREATE TABLE and ADD COLUMN write it: name, type, NOT NULL where not nullable, description.
const columnDefinition = (c: ColumnDeclaration) =>
  `${columnName(c.name)} ${BIGQUERY_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'} OPTIONS(description = ${stringLiteral(c.description)})`;

/** `CREATE TABLE IF NOT EXISTS` for a declared table: declared order, BigQuery types, NOT NULL where not nullable. */
export function createTableSql(ref: DatasetRef, table: TableSpec): string {
  const columns = table.columns.map((c) => `  ${columnDefinition(c)}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${relationPath(ref, table.name)} (\n${columns.join(',\n')}\n)`,
    ...(table.partitionBy ? [`PARTITION BY ${columnName(table.partitionBy)}`] : []),
    ...(table.clusterBy ? [`CLUSTER BY ${table.clusterBy.map(columnName).join(', ')}`] : []),
    `OPTIONS(description = ${stringLiteral(table.description)})`,
  ].join('\n');
}

/**
 * `ALTER TABLE … ADD COLUMN IF NOT EXISTS` for each column of a table declared `addedLater`: brings a table created by
 * an earlier version up to date, and does nothing to one created with the column. Only those columns get a
 * statement: each is a job of its own on every `ensureSchema`.
 */
export function addColumnsSql(ref: DatasetRef, table: TableSpec): string[] {
  return table.columns
    .filter((c) => c.addedLater)
    .map((c) => `ALTER TABLE ${relationPath(ref, table.name)} ADD COLUMN IF NOT EXISTS ${columnDefinition(c)}`);
}

/**
 * The run the views show, production: among published runs the newest as-of date, and of its runs the latest publish.
 * A publish of an older as-of date (a backfill, a late retry) is kept but never shown; a re-run of the newest replaces it.
 */
export function productionRunSql(ref: DatasetRef): string {
  return `SELECT run_id FROM ${relationPath(ref, FORECAST_RUNS.name)} WHERE published_at IS NOT NULL
  ORDER BY as_of DESC, published_at DESC, run_id DESC LIMIT 1`;
}

function latestRunViewSql(ref: DatasetRef, view: RelationDeclaration, table: string): string {
  return `CREATE OR REPLACE VIEW ${relationPath(ref, view.name)}
OPTIONS(description = ${stringLiteral(view.description)}) AS
SELECT ${columnList(view.columns)} FROM ${relationPath(ref, table)}
WHERE run_id = (${productionRunSql(ref)})`;
}

// Actuals come from daily_actuals, which each refresh recounts over its history window, so a Looker query no longer
// scans every lead. A forecast day has passed once a later day has events: the last event day may still be filling up.
function forecastVsActualSql(ref: DatasetRef): string {
  const stageColumns = STAGES.map(
    (s) => `r.${s}_forecast, r.${s}_lower_95, r.${s}_upper_95, CAST(COALESCE(a.${s}, 0) AS INT64) AS ${s}_actual`,
  ).join(',\n  ');
  const momentColumns = STAGES.map((s) => `r.${s}_own_var, r.${s}_shared_sd`).join(',\n  ');
  const actuals = relationPath(ref, DAILY_ACTUALS.name);
  return `CREATE OR REPLACE VIEW ${relationPath(ref, FORECAST_VS_ACTUAL.name)}
OPTIONS(description = ${stringLiteral(FORECAST_VS_ACTUAL.description)}) AS
WITH actuals AS (
  SELECT date_day, \`Channel_Grouping_Name\`, \`Original_source\`, SUM(mqls) AS mqls, SUM(sqls) AS sqls, SUM(sqos) AS sqos
  FROM ${actuals}
  GROUP BY date_day, \`Channel_Grouping_Name\`, \`Original_source\`
)
SELECT r.run_id, r.as_of, r.\`Channel_Grouping_Name\`, r.\`Original_source\`, r.date_day,
  DATE_DIFF(r.date_day, r.as_of, DAY) AS horizon_day,
  ${stageColumns},
  ${momentColumns}
FROM ${relationPath(ref, ROWS_TABLE)} AS r
JOIN ${relationPath(ref, FORECAST_RUNS.name)} AS run ON run.run_id = r.run_id AND run.published_at IS NOT NULL
LEFT JOIN actuals AS a ON a.date_day = r.date_day
  AND a.\`Channel_Grouping_Name\` = r.\`Channel_Grouping_Name\` AND a.\`Original_source\` = r.\`Original_source\`
WHERE r.data_type = 'FORECAST'
  AND r.date_day < (SELECT MAX(date_day) FROM ${actuals})`;
}

/** Every statement that brings a dataset to the current schema; each is safe to run again. */
export function schemaStatements(ref: DatasetRef): string[] {
  return [
    ...TABLES.map((table) => createTableSql(ref, table)),
    ...TABLES.flatMap((table) => addColumnsSql(ref, table)),
    latestRunViewSql(ref, PRODUCTION_FORECAST, ROWS_TABLE),
    latestRunViewSql(ref, SEGMENT_MAPPING, MAPPING_TABLE),
    latestRunViewSql(ref, MODEL_SELECTION, SELECTION_TABLE),
    forecastVsActualSql(ref),
  ];
}
