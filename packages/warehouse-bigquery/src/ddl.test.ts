import { COLUMN_TYPES, FORECAST_RUNS, PUBLISHED_VIEWS, RELATIONS, RETENTION_DAYS_DEFAULT } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { BIGQUERY_TYPES, createTableSql, schemaStatements, stringLiteral, TABLES } from './ddl.js';
import { leadsSource, type BigQueryTarget } from './leads-source.js';
import { parseBigQuery } from './testing/parse-bigquery.js';

const ref = { projectId: 'my-project', dataset: 'funnelcast' };
const target = (leads: BigQueryTarget['leads']): BigQueryTarget => ({
  type: 'bigquery',
  ...ref,
  location: 'US',
  leads,
  jobTimeoutMs: 3_600_000,
  pricePerTiB: 6.25,
  sqlModelName: 'model_tof_sql_regressor_v3_1_final',
  mqlModelName: 'model_mql_arima_plus',
  labels: { app: 'funnelcast' },
  retentionDays: RETENTION_DAYS_DEFAULT,
});

describe('BigQuery DDL', () => {
  it('maps every column type through the one type table', () => {
    expect(Object.keys(BIGQUERY_TYPES).sort()).toEqual([...COLUMN_TYPES].sort());
    for (const type of COLUMN_TYPES) expect(BIGQUERY_TYPES[type]).toMatch(/^[A-Z0-9]+$/);
  });

  it('generates statements that parse as BigQuery SQL', () => {
    for (const statement of schemaStatements(ref)) expect(() => parseBigQuery(statement), statement).not.toThrow();
  });

  it('declares every column of every table and view, typed and nullable as core declares', () => {
    const statements = schemaStatements(ref).filter((s) => s.startsWith('CREATE'));
    const byName = new Map(statements.map((s) => [/`my-project\.funnelcast\.(\w+)`/.exec(s)?.[1], s]));
    for (const table of TABLES) {
      const sql = byName.get(table.name) ?? '';
      for (const c of table.columns) {
        expect(sql).toContain(`\`${c.name}\` ${BIGQUERY_TYPES[c.type]}${c.nullable ? ' OPTIONS' : ' NOT NULL OPTIONS'}`);
      }
    }
    for (const view of PUBLISHED_VIEWS) {
      // A column reference's name is a string, or { expr: { value } } for a backquoted one.
      const { select } = parseBigQuery(byName.get(view.name) ?? '') as { select: { columns: { as: string | null; expr: { column?: unknown } }[] } };
      const names = select.columns.map((c) => c.as ?? (typeof c.expr.column === 'string' ? c.expr.column : (c.expr.column as { expr: { value: string } }).expr.value));
      expect(names).toEqual(view.columns.map((c) => c.name));
    }
    // Each relation core declares is created here: tables as tables, published views as views.
    for (const relation of RELATIONS) expect(byName.has(relation.name) || TABLES.some((t) => t.name === relation.name)).toBe(true);
  });

  it('adds the columns declared later to tables created before them, after creating the tables', () => {
    const statements = schemaStatements(ref);
    const added = statements.filter((s) => s.startsWith('ALTER TABLE'));
    expect(added).toContain(
      'ALTER TABLE `my-project.funnelcast.forecast_runs` ADD COLUMN IF NOT EXISTS `warnings_json` STRING ' +
        `OPTIONS(description = ${stringLiteral(FORECAST_RUNS.columns.find((c) => c.name === 'warnings_json')?.description ?? '')})`,
    );
    // Exactly the columns declared later, each once, nullable (BigQuery cannot add a REQUIRED column).
    const later = TABLES.flatMap((t) => t.columns.filter((c) => c.addedLater).map((c) => `${t.name}.${c.name}`));
    expect(added.map((s) => s.match(/funnelcast\.(\w+)` ADD COLUMN IF NOT EXISTS `(\w+)`/)!.slice(1).join('.'))).toEqual(later);
    expect(added.some((s) => s.includes('NOT NULL'))).toBe(false);
    expect(statements.indexOf(added[0]!)).toBeGreaterThan(statements.findLastIndex((s) => s.startsWith('CREATE TABLE')));
  });

  it('partitions the forecast rows by as-of date and clusters by run', () => {
    const rows = TABLES.find((t) => t.name === 'forecast_rows');
    expect(rows && createTableSql(ref, rows)).toMatch(/\nPARTITION BY `as_of`\nCLUSTER BY `run_id`\n/);
    expect(createTableSql(ref, { ...FORECAST_RUNS })).toMatch(/^CREATE TABLE IF NOT EXISTS `my-project\.funnelcast\.forecast_runs`/);
  });

  it('views read only the production run: the newest as-of date, then the latest publish', () => {
    const [production] = schemaStatements(ref).filter((s) => s.includes('vw_production_forecast`'));
    expect(production).toMatch(/WHERE run_id = \(SELECT run_id FROM `my-project\.funnelcast\.forecast_runs` WHERE published_at IS NOT NULL\s+ORDER BY as_of DESC, published_at DESC/);
  });

  it('escapes descriptions as BigQuery string literals', () => {
    expect(stringLiteral("run's \\ path\nnext")).toBe("'run\\'s \\\\ path\\nnext'");
  });

  it('refuses names that are not BigQuery identifiers', () => {
    expect(() => leadsSource(target({ table: 'crm.leads`; DROP TABLE x; --' }))).toThrow(/leads\.table/);
    expect(() => schemaStatements({ projectId: 'my-project', dataset: 'bad-dataset' })).toThrow(/bad-dataset/);
  });
});
