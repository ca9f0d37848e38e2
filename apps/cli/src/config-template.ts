import { ARIMA_PLUS, MAX_HORIZON, MQL_MODELS, parseConfig, SQL_MODELS, V31_BQML } from '@funnelcast/core';
import { stringify } from 'yaml';

/**
 * What each config key means, one line each, by dotted path. The values written are core's own defaults
 * (`parseConfig({})`), and a test holds this list to exactly the keys those defaults have, so neither can drift.
 * Keys with no default (`lookml.project`, BigQuery targets) are written commented out, with their meaning.
 */
export const CONFIG_KEY_MEANINGS: Readonly<Record<string, string>> = {
  targets: 'named warehouses: where leads are read and forecasts published (a bigquery target: see README, "Running funnelcast on BigQuery")',
  'targets.local': 'the embedded DuckDB warehouse',
  'targets.local.type': 'duckdb or bigquery',
  'targets.local.path': 'the DuckDB file (--db overrides it)',
  'targets.local.retentionDays': 'days of runs kept: a refresh deletes runs dated more than this before its as-of date, never the production run',
  defaultTarget: 'the target used when --target names none',
  horizon: `days forecast from the as-of date, 1–${MAX_HORIZON}`,
  runLeaseSeconds: 'a running refresh renews its lease every third of this; a run not renewed for longer is stored abandoned',
  historyDays: 'days of history the models see',
  superSegments: "the super-segments the SQL model forecasts, as your leads name them; leads in any other are refused",
  mapping: 'how super-segment SQLs are split to Channel × Source (Gross–Sohl shares)',
  'mapping.windowDays': 'trailing window of the shares, in days',
  'mapping.minExposureDays': 'floor of the exposure of a combination that started inside the window, in days',
  conversion: 'conversion rates and lags (SQL→SQO, MQL→SQL)',
  'conversion.credibility': 'κ: pseudo-SQLs of the segment rate added to each combination’s own (shrinks small combinations)',
  'conversion.maturityDays': 'SQL cohorts younger than this are still converting and left out of rates',
  'conversion.windowDays': 'days of matured cohorts the rates and lags use',
  'conversion.mqlLagDays': 'longest MQL→SQL lag counted day by day; later SQLs form one "later" share',
  'conversion.mqlLookBackDays': 'how far back open MQLs are read by age',
  intervals: 'published interval levels',
  'intervals.levels': 'fixed: the view’s columns are named _50 and _95',
  models: 'which model forecasts each stage',
  'models.mqls': `auto (chosen by backtest at every refresh) or one of ${MQL_MODELS.join(', ')} (${ARIMA_PLUS}: BigQuery only)`,
  'models.sqls': `auto (chosen per super-segment) or one of ${SQL_MODELS.join(', ')} (${V31_BQML}: BigQuery only)`,
  schedule: 'when funnelcast-worker refreshes on its own',
  'schedule.cron': 'cron pattern of the scheduled refresh',
  'schedule.tz': 'IANA time zone of the cron pattern',
  training: 'how funnelcast train trains the BigQuery ML models of a bigquery target (DuckDB targets need no training)',
  'training.cron': 'cron pattern of funnelcast-worker\'s scheduled train of each bigquery target, in schedule.tz',
  'training.holidayRegion': 'ARIMA_PLUS holiday_region (US, GB, EMEA, GLOBAL, …)',
  'training.arimaHorizon': 'ARIMA_PLUS horizon: the most days a refresh can read past the end of the training data',
  'training.decomposeTimeSeries': 'ARIMA_PLUS decompose_time_series',
  'training.scratchModelHours': 'hours a backtest\'s scratch model of one origin lives',
  queue: 'the BullMQ queue funnelcast enqueue and funnelcast-worker share (Redis at REDIS_URL)',
  'queue.name': 'queue name',
  'queue.prefix': 'Redis key prefix of the queue',
  lookml: 'what funnelcast lookml writes into the LookML project',
  'lookml.connection': 'Looker connection name',
  'lookml.dataset': 'BigQuery dataset holding the views',
  'lookml.project': 'BigQuery project holding the views; unset: the connection’s default project',
};

/** Keys with no default: written as a commented example after their section. */
export const UNSET_EXAMPLES: Readonly<Record<string, string>> = { 'lookml.project': 'my-gcp-project' };

const isSection = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalar(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

function lines(section: Record<string, unknown>, path: string, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const out: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    const at = path ? `${path}.${key}` : key;
    const meaning = CONFIG_KEY_MEANINGS[at];
    if (isSection(value)) {
      out.push(`${indent}${key}:${meaning ? `   # ${meaning}` : ''}`, ...lines(value, at, depth + 1));
    } else {
      out.push(`${indent}${key}: ${scalar(value)}${meaning ? `   # ${meaning}` : ''}`);
    }
  }
  for (const [at, example] of Object.entries(UNSET_EXAMPLES)) {
    const parent = at.slice(0, at.lastIndexOf('.'));
    if (parent === path) out.push(`${indent}# ${at.slice(parent.length + 1)}: ${example}   # ${CONFIG_KEY_MEANINGS[at] ?? ''}`);
  }
  return out;
}

/** The dotted paths of every key the defaults have, sections included. */
export function defaultKeyPaths(section: Record<string, unknown> = parseConfig({}), path = ''): string[] {
  return Object.entries(section).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    return [at, ...(isSection(value) ? defaultKeyPaths(value, at) : [])];
  });
}

/** The config file `funnelcast init` writes: every key at its default, each with a one-line meaning. */
export function configTemplate(): string {
  return [
    '# funnelcast configuration: every key at its default, with what it means.',
    '# Keep only what you change (every key has a default); an unknown key or a bad value is refused with its path.',
    ...lines(parseConfig({}), '', 0),
    '',
  ].join('\n');
}
