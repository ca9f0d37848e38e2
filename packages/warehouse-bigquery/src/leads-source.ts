import type { TargetConfig } from '@funnelcast/core';
import { configuredTablePath } from './sql-names.js';

/** The BigQuery target of core's config. */
export type BigQueryTarget = Extract<TargetConfig, { type: 'bigquery' }>;

/**
 * Where leads are read from, as SQL: `events` is every funnel event as one row (the day, the grain, a 1 in the
 * column of its stage — or the day's counts for a daily-counts source), `leads` the lead-level relation when
 * there is one. Both are common table expressions so every query starts with {@link LeadsSource.with}.
 */
export interface LeadsSource {
  /** `WITH leads AS (…), events AS (…)`, or only `events` for a daily-counts source. */
  readonly with: string;
  /** False for a daily-counts source: conversion cohorts, lags and open SQLs cannot be computed. */
  readonly leadLevel: boolean;
}

const LEAD_EVENTS = `events AS (
  SELECT mql_date AS event_date, super_segment, channel_grouping_name, original_source, 1 AS mqls, 0 AS sqls, 0 AS sqos
  FROM leads WHERE mql_date IS NOT NULL
  UNION ALL
  SELECT sql_date, super_segment, channel_grouping_name, original_source, 0, 1, 0 FROM leads WHERE sql_date IS NOT NULL
  UNION ALL
  SELECT sqo_date, super_segment, channel_grouping_name, original_source, 0, 0, 1 FROM leads WHERE sqo_date IS NOT NULL
)`;

// The legacy daily-counts shape; all-zero rows are dropped so spans only see days with events.
const dailyCountEvents = (table: string) => `events AS (
  SELECT date_day AS event_date, super_segment, Channel_Grouping_Name AS channel_grouping_name,
    Original_source AS original_source, mqls_daily AS mqls, sqls_daily AS sqls, sqos_daily AS sqos
  FROM ${table}
  WHERE mqls_daily + sqls_daily + sqos_daily > 0
)`;

/** The leads source of a target's `leads` setting. @throws ConfigError when a table name is invalid. */
export function leadsSource(target: Pick<BigQueryTarget, 'leads' | 'projectId' | 'dataset'>): LeadsSource {
  const { leads, projectId, dataset } = target;
  if ('dailyCountsTable' in leads) {
    const table = configuredTablePath(leads.dailyCountsTable, projectId, dataset, 'leads.dailyCountsTable');
    return { with: `WITH ${dailyCountEvents(table)}`, leadLevel: false };
  }
  // A configured query is the user's own SQL, trusted like the config file it comes from.
  const relation = 'table' in leads ? configuredTablePath(leads.table, projectId, dataset, 'leads.table') : `(${leads.query})`;
  return { with: `WITH leads AS (SELECT * FROM ${relation}),\n${LEAD_EVENTS}`, leadLevel: true };
}
