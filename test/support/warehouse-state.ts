import { DuckDBInstance } from '@duckdb/node-api';
import { FORECAST_RUNS, PRODUCTION_FORECAST, SEGMENT_MAPPING } from '@funnelcast/core';

/** A stored run, as the chaos suite checks it. */
export interface StoredRun {
  readonly run_id: string;
  readonly as_of: string;
  readonly status: string;
  readonly request_id: string | null;
  readonly published_at: string | null;
  readonly row_count: number | null;
  readonly mapping_row_count: number | null;
}

/** What a DuckDB target holds: every run, and the rows the published views show, counted per run. */
export interface WarehouseState {
  readonly runs: readonly StoredRun[];
  /** Rows of `vw_production_forecast` per run id (one key when the view shows one run). */
  readonly forecastRows: Readonly<Record<string, number>>;
  /** Rows of the mapping view per run id. */
  readonly mappingRows: Readonly<Record<string, number>>;
}

/**
 * Reads a target's DuckDB file read-only, as Looker would see it between refreshes (call it while no process holds
 * the file for writing).
 */
export async function readWarehouseState(path: string): Promise<WarehouseState> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const rows = async <T>(sql: string) => (await (await connection.runAndReadAll(sql)).getRowObjectsJson()) as unknown as T[];
  const perRun = async (view: string) =>
    Object.fromEntries(
      (await rows<{ run_id: string; n: number }>(`SELECT run_id, CAST(count(*) AS INTEGER) AS n FROM ${view} GROUP BY run_id`)).map((r) => [r.run_id, r.n]),
    );
  try {
    return {
      runs: await rows<StoredRun>(
        `SELECT run_id, CAST(as_of AS VARCHAR) AS as_of, status, request_id, CAST(published_at AS VARCHAR) AS published_at,
                CAST(row_count AS INTEGER) AS row_count, CAST(mapping_row_count AS INTEGER) AS mapping_row_count
         FROM ${FORECAST_RUNS.name}`,
      ),
      forecastRows: await perRun(PRODUCTION_FORECAST.name),
      mappingRows: await perRun(SEGMENT_MAPPING.name),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The production rules, as problems (empty when they hold): the views show exactly one run, complete (its rows and
 * mapping as many as its record says), and it is the newest as-of date's latest publish.
 */
export function productionProblems(state: WarehouseState): string[] {
  const problems: string[] = [];
  const shown = Object.keys(state.forecastRows);
  if (shown.length !== 1) return [`the forecast view shows ${shown.length} runs (${shown.join(', ')})`];
  const run = state.runs.find((r) => r.run_id === shown[0]);
  if (!run) return [`the forecast view shows run ${shown[0]}, which has no record`];
  if (run.status !== 'published') problems.push(`the view shows run ${run.run_id} whose status is ${run.status}`);
  if (state.forecastRows[run.run_id] !== run.row_count) problems.push(`run ${run.run_id} shows ${state.forecastRows[run.run_id]} rows, its record says ${run.row_count}`);
  if ((state.mappingRows[run.run_id] ?? 0) !== run.mapping_row_count) problems.push(`run ${run.run_id} maps ${state.mappingRows[run.run_id] ?? 0} rows, its record says ${run.mapping_row_count}`);
  const published = state.runs.filter((r) => r.status === 'published');
  const newest = published.reduce((max, r) => (r.as_of > max ? r.as_of : max), '');
  if (run.as_of !== newest) problems.push(`production is as of ${run.as_of} though a run as of ${newest} is published`);
  const latest = published.filter((r) => r.as_of === newest).reduce((a, b) => ((b.published_at ?? '') > (a.published_at ?? '') ? b : a));
  if (latest.run_id !== run.run_id) problems.push(`production is run ${run.run_id}, not ${latest.run_id}, the latest publish as of ${newest}`);
  return problems;
}
