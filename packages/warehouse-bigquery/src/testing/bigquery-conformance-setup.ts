import type { ColumnDeclaration, LeadRow } from '@funnelcast/core';
import type { WarehouseConformanceSetup } from '@funnelcast/warehouse-conformance';
import { bigQueryClient } from '../bigquery-client.js';
import { createBigQueryWarehouse, type BigQueryWarehouseOptions } from '../bigquery-warehouse.js';
import { relationPath, type DatasetRef } from '../ddl.js';
import { createJobRunner, type JobRunner } from '../job-runner.js';
import type { BigQueryTarget } from '../leads-source.js';
import { insertRowsStatement } from '../publish.js';
import { columnName } from '../sql-names.js';

/**
 * The conformance suite's wiring for BigQuery, written once for wherever BigQuery is: the local test server in
 * `npm test`, a real project in `npm run test:bigquery-live`. Everything it does behind the warehouse's back (the
 * dataset, the leads table, loading leads, dropping a column, reading run ids) is GoogleSQL sent as jobs through the
 * same client, so a wiring that passes on the test server is the wiring the live check runs.
 */

/** A fresh place for one test: the target of a dataset that need not exist yet, and how to reach it. */
export interface ConformanceSandbox {
  /** Its dataset is created by the setup and dropped after the test; leads are read from its `leads` table. */
  readonly target: BigQueryTarget;
  readonly options?: BigQueryWarehouseOptions;
  /** Releases what the sandbox holds once the dataset is dropped (the local test server). @defaultValue nothing */
  readonly release?: () => Promise<void>;
}

// The leads contract as a BigQuery table (design.md, "Inputs").
const text = (name: string, nullable = false): ColumnDeclaration => ({ name, type: 'STRING', nullable, label: name, description: name, role: 'dimension', group: 'grain' });
const day = (name: string, nullable: boolean): ColumnDeclaration => ({ ...text(name, nullable), type: 'DATE' });
const LEAD_COLUMNS: readonly ColumnDeclaration[] = [
  text('lead_id'),
  text('channel_grouping_name'),
  text('original_source'),
  text('super_segment'),
  day('mql_date', false),
  day('sql_date', true),
  day('sqo_date', true),
];

/** The job runner the setup uses beside the warehouse: same project, location, endpoint and credentials. */
function sandboxJobs({ target, options }: ConformanceSandbox): JobRunner {
  const client = bigQueryClient(target, options?.authClient);
  return createJobRunner(client, { location: target.location, labels: target.labels, jobTimeoutMs: target.jobTimeoutMs }, options?.retry);
}

/** The conformance setup over sandboxes from `sandbox` (called once per test). */
export function bigQueryConformanceSetup(sandbox: () => Promise<ConformanceSandbox>): WarehouseConformanceSetup {
  let current: { sandbox: ConformanceSandbox; jobs: JobRunner; ref: DatasetRef } | undefined;
  const opened = () => {
    if (!current) throw new Error('the BigQuery conformance setup has no open sandbox');
    return current;
  };

  return {
    async open() {
      const next = await sandbox();
      const ref = { projectId: next.target.projectId, dataset: next.target.dataset };
      const jobs = sandboxJobs(next);
      current = { sandbox: next, jobs, ref };
      // The dataset alone (no project): the job's project, created in the job's location.
      await jobs.query(`CREATE SCHEMA IF NOT EXISTS ${columnName(ref.dataset)}`);
      await jobs.query(
        `CREATE TABLE IF NOT EXISTS ${relationPath(ref, 'leads')} (\n${LEAD_COLUMNS.map((c) => `  ${columnName(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(',\n')}\n)`,
      );
      return createBigQueryWarehouse(next.target, next.options);
    },
    async loadLeads(_warehouse, leads: readonly LeadRow[]) {
      const { jobs, ref } = opened();
      const insert = insertRowsStatement(relationPath(ref, 'leads'), LEAD_COLUMNS, 'leads', leads);
      await jobs.query(insert.sql, insert.input);
    },
    async dropColumn(warehouse, table, column) {
      const { jobs, ref } = opened();
      await jobs.query(`ALTER TABLE ${relationPath(ref, table)} DROP COLUMN ${columnName(column)}`);
      return warehouse;
    },
    async runIdsIn(warehouse, table) {
      const { jobs, ref } = opened();
      const rows = await jobs.query(`SELECT DISTINCT run_id FROM ${relationPath(ref, table)} ORDER BY run_id`);
      return { runIds: rows.map((row) => String(row.run_id)), warehouse };
    },
    async cleanup() {
      if (!current) return;
      const { sandbox: done, jobs, ref } = current;
      current = undefined;
      try {
        await jobs.query(`DROP SCHEMA IF EXISTS ${columnName(ref.dataset)} CASCADE`);
      } finally {
        await done.release?.();
      }
    },
  };
}
