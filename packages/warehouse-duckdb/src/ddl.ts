import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  DAILY_ACTUALS,
  FORECAST_RUNS,
  FORECAST_VS_ACTUAL,
  LEADS,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  STAGES,
  type ColumnDeclaration,
  type ColumnType,
  type RelationDeclaration,
} from '@funnelcast/core';
import { sqlIdentifier } from './sql-text.js';

/** How each warehouse-neutral column type is stored in DuckDB. */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  STRING: 'VARCHAR',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
};

/** A table funnelcast writes, and the declaration its columns come from. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnDeclaration[];
}

/** Every table of the embedded warehouse; a run's rows live in the backing tables of the published views. */
export const TABLES: readonly TableSpec[] = [
  LEADS,
  FORECAST_RUNS,
  { name: BACKING_TABLES[PRODUCTION_FORECAST.name], columns: PRODUCTION_FORECAST.columns },
  { name: BACKING_TABLES[SEGMENT_MAPPING.name], columns: SEGMENT_MAPPING.columns },
  { name: BACKING_TABLES[MODEL_SELECTION.name], columns: MODEL_SELECTION.columns },
  DAILY_ACTUALS,
  BACKTEST_RUNS,
  BACKTEST_RESULTS,
];

/** `CREATE TABLE IF NOT EXISTS` for a declared table: declared order, DuckDB types, NOT NULL where not nullable. */
export function createTableSql(table: TableSpec): string {
  const columns = table.columns.map(
    (c) => `  ${sqlIdentifier(c.name)} ${DUCKDB_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(table.name)} (\n${columns.join(',\n')}\n)`;
}

/**
 * `ALTER TABLE … ADD COLUMN IF NOT EXISTS` for each column of a table declared `addedLater`: brings a table created by
 * an earlier version up to date, and does nothing to one created with the column. Added last, as declared.
 */
export function addColumnsSql(table: TableSpec): string[] {
  return table.columns
    .filter((c) => c.addedLater)
    .map((c) => `ALTER TABLE ${sqlIdentifier(table.name)} ADD COLUMN IF NOT EXISTS ${sqlIdentifier(c.name)} ${DUCKDB_TYPES[c.type]}`);
}

/**
 * The run the views show, production: among published runs the newest as-of date, and of its runs the latest publish.
 * A publish of an older as-of date (a backfill, a late retry) is kept but never shown; a re-run of the newest replaces it.
 */
export const PRODUCTION_RUN_SQL = `
  SELECT run_id FROM forecast_runs WHERE published_at IS NOT NULL
  ORDER BY as_of DESC, published_at DESC, run_id DESC LIMIT 1`;

const columnList = (relation: RelationDeclaration, alias?: string) =>
  relation.columns.map((c) => (alias ? `${alias}.` : '') + sqlIdentifier(c.name)).join(', ');

function latestRunViewSql(view: RelationDeclaration, table: string): string {
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(view.name)} AS
SELECT ${columnList(view)} FROM ${sqlIdentifier(table)}
WHERE run_id = (${PRODUCTION_RUN_SQL})`;
}

// Actuals come from daily_actuals, which each refresh recounts over its history window, instead of a scan of every
// lead on each read. A forecast day has passed once a later day has events: the last event day itself may still be
// filling up.
function forecastVsActualSql(): string {
  const stageColumns = STAGES.map(
    (s) =>
      `r.${s}_forecast, r.${s}_lower_95, r.${s}_upper_95, CAST(coalesce(a.${s}, 0) AS BIGINT) AS ${s}_actual`,
  ).join(',\n  ');
  const momentColumns = STAGES.map((s) => `r.${s}_own_var, r.${s}_shared_sd`).join(',\n  ');
  const actuals = sqlIdentifier(DAILY_ACTUALS.name);
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(FORECAST_VS_ACTUAL.name)} AS
WITH actuals AS (
  SELECT date_day, "Channel_Grouping_Name", "Original_source", sum(mqls) AS mqls, sum(sqls) AS sqls, sum(sqos) AS sqos
  FROM ${actuals}
  GROUP BY ALL
)
SELECT r.run_id, r.as_of, r."Channel_Grouping_Name", r."Original_source", r.date_day,
  CAST(date_diff('day', r.as_of, r.date_day) AS BIGINT) AS horizon_day,
  ${stageColumns},
  ${momentColumns}
FROM forecast_rows AS r
JOIN forecast_runs AS run ON run.run_id = r.run_id AND run.published_at IS NOT NULL
LEFT JOIN actuals AS a ON a.date_day = r.date_day
  AND a."Channel_Grouping_Name" = r."Channel_Grouping_Name" AND a."Original_source" = r."Original_source"
WHERE r.data_type = 'FORECAST'
  AND r.date_day < (SELECT max(date_day) FROM ${actuals})`;
}

/** Every statement that brings a database file to the current schema; each is safe to run again. */
export function schemaStatements(): string[] {
  return [
    ...TABLES.map(createTableSql),
    ...TABLES.flatMap(addColumnsSql),
    latestRunViewSql(PRODUCTION_FORECAST, BACKING_TABLES[PRODUCTION_FORECAST.name]),
    latestRunViewSql(SEGMENT_MAPPING, BACKING_TABLES[SEGMENT_MAPPING.name]),
    latestRunViewSql(MODEL_SELECTION, BACKING_TABLES[MODEL_SELECTION.name]),
    forecastVsActualSql(),
  ];
}
