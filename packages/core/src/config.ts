import { z } from 'zod';
import { ConfigError, type Problem } from './errors.js';
import { ARIMA_PLUS, AUTO_MODEL, DEFAULT_HORIZON, DEFAULT_SUPER_SEGMENTS, MAX_HORIZON, MSTL_ETS, SEASONAL_NAIVE, V1_AUTO_ARIMA, V31_BQML, V3_RIDGE } from './vocabulary.js';

/**
 * The configuration schema. Every key has a default that works out of the box (an embedded DuckDB target named
 * `local`), so an empty file — or no file — is a valid configuration.
 */

/** A name BigQuery and LookML both accept: letters, digits and underscores, not starting with a digit. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const identifier = z.string().regex(IDENTIFIER, 'must be letters, digits and underscores, not starting with a digit');

/** MQL models, by stage. `arima-plus` runs in BigQuery (`ML.FORECAST`); the others run embedded. */
export const MQL_MODELS = [MSTL_ETS, ARIMA_PLUS, SEASONAL_NAIVE] as const;
/** SQL models. `v3.1-bqml` is the BigQuery boosted tree; `v3-ridge` its embedded counterpart on the same features. */
export const SQL_MODELS = [V3_RIDGE, V31_BQML, SEASONAL_NAIVE] as const;

/**
 * What `auto` chooses among, the default first: it keeps a stage unless another candidate (or the equal blend of the
 * two best) clearly beats it on the team's own recent history.
 */
export const AUTO_CANDIDATES = {
  mqls: [MSTL_ETS, SEASONAL_NAIVE, V1_AUTO_ARIMA],
  sqls: [V3_RIDGE, SEASONAL_NAIVE, V1_AUTO_ARIMA],
} as const satisfies Record<'mqls' | 'sqls', readonly string[]>;

/** The models that run inside BigQuery (`ML.FORECAST`, `ML.PREDICT`); every other model runs embedded. */
export const IN_WAREHOUSE_MODELS = [ARIMA_PLUS, V31_BQML] as const;

/** How long a target keeps its runs: {@link RETENTION_DAYS_DEFAULT} unless configured. */
export const RETENTION_DAYS_DEFAULT = 400;

/**
 * Days of runs a target keeps: each refresh, before publishing, deletes the runs whose as-of date is more than this
 * many days before its own — except the production run, whatever its age. @defaultValue 400
 */
const retentionDays = z.number().int().min(1).max(36_500).default(RETENTION_DAYS_DEFAULT);

const duckdbTarget = z
  .object({
    type: z.literal('duckdb'),
    /** Path of the database file. @defaultValue `.funnelcast/funnelcast.duckdb` */
    path: z.string().min(1).default('.funnelcast/funnelcast.duckdb'),
    retentionDays,
  })
  .strict();

const bigqueryLeads = z.union([
  z.object({ table: z.string().min(1) }).strict(),
  z.object({ query: z.string().min(1) }).strict(),
  z.object({ dailyCountsTable: z.string().min(1) }).strict(),
]);

const bigqueryTarget = z
  .object({
    type: z.literal('bigquery'),
    projectId: z.string().min(1),
    /** Dataset funnelcast writes its tables and views to. */
    dataset: identifier,
    /** @defaultValue `US` */
    location: z.string().min(1).default('US'),
    /** Where leads come from: a table, a query, or a daily-counts table shaped like the legacy input. */
    leads: bigqueryLeads,
    /** Dataset holding the BigQuery ML models. @defaultValue the target's dataset */
    modelDataset: identifier.optional(),
    /** Name of the V3.1 regressor. @defaultValue `model_tof_sql_regressor_v3_1_final` */
    sqlModelName: identifier.default('model_tof_sql_regressor_v3_1_final'),
    /** Name of the per-combination ARIMA_PLUS model. @defaultValue `model_mql_arima_plus` */
    mqlModelName: identifier.default('model_mql_arima_plus'),
    /** A service-account key file; otherwise Application Default Credentials. */
    keyFilename: z.string().min(1).optional(),
    /** Override of the API root, for tests against a local endpoint. */
    apiEndpoint: z.url().optional(),
    /** Refuse queries that would bill more than this many bytes. */
    maximumBytesBilled: z.number().int().positive().optional(),
    /**
     * How long one BigQuery job may run before it is cancelled (sent as the job's `jobTimeoutMs`, and enforced by
     * funnelcast too: BigQuery only tries to stop a job past it). @defaultValue 3600000 (one hour)
     */
    jobTimeoutMs: z.number().int().min(1000).max(21_600_000).default(3_600_000),
    /** On-demand price of a TiB scanned, in dollars, for the costs a dry run prints. @defaultValue 6.25 */
    pricePerTiB: z.number().min(0).max(1_000_000).default(6.25),
    /** Labels put on every job, for cost attribution. @defaultValue `{ app: 'funnelcast' }` */
    labels: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/), z.string().regex(/^[a-z0-9_-]{0,63}$/)).default({ app: 'funnelcast' }),
    retentionDays,
  })
  .strict();

/** A warehouse target: where leads are read and forecasts are published. */
export const targetSchema = z.discriminatedUnion('type', [duckdbTarget, bigqueryTarget]);

const intervalsSchema = z
  .object({
    /** The published levels. The view's columns are named `_50` and `_95`, so these are fixed. */
    levels: z.tuple([z.literal(0.5), z.literal(0.95)]).default([0.5, 0.95]),
  })
  .strict();

/** The full configuration schema (input shape: every key optional). */
export const configSchema = z
  .object({
    /** Named warehouse targets. @defaultValue `{ local: { type: 'duckdb' } }` */
    targets: z.record(identifier, targetSchema).default({ local: { type: 'duckdb', path: '.funnelcast/funnelcast.duckdb', retentionDays: RETENTION_DAYS_DEFAULT } }),
    /** The target used when none is named. @defaultValue `local` */
    defaultTarget: identifier.default('local'),
    /** Forecast days from the as-of date. @defaultValue 90 */
    horizon: z.number().int().min(1).max(MAX_HORIZON).default(DEFAULT_HORIZON),
    /**
     * Seconds a running refresh holds its run's lease without renewing it (it renews every third); a run not renewed
     * for longer is stored as `abandoned`. @defaultValue 120
     */
    runLeaseSeconds: z.number().int().min(1).max(86_400).default(120),
    /** How many days of history the models see. @defaultValue 730 */
    historyDays: z.number().int().min(56).max(3650).default(730),
    /**
     * The super-segments the SQL model forecasts, named as the team writes them ('Mid-Market', 'Partner & Alliances');
     * leads in any other segment are refused. Names are values, never identifiers: they reach SQL only as parameters.
     */
    superSegments: z.array(z.string().trim().min(1, 'must not be empty')).min(1).default([...DEFAULT_SUPER_SEGMENTS]),
    mapping: z
      .object({
        /** Trailing window of the Gross–Sohl shares. @defaultValue 180 */
        windowDays: z.number().int().min(1).max(3650).default(180),
        /** Floor of the exposure of a combination that started inside the window. @defaultValue 28 */
        minExposureDays: z.number().int().min(1).max(365).default(28),
      })
      .strict()
      .default({ windowDays: 180, minExposureDays: 28 }),
    conversion: z
      .object({
        /** Credibility κ: pseudo-SQLs of the parent's rate added to each combination's own. @defaultValue 30 */
        credibility: z.number().min(0).max(1e6).default(30),
        /** SQL cohorts younger than this have not finished converting and are left out of rates. @defaultValue 60 */
        maturityDays: z.number().int().min(1).max(365).default(60),
        /** How many days of matured cohorts the rates use (SQL cohorts, and MQL cohorts for the MQL→SQL lag). @defaultValue 365 */
        windowDays: z.number().int().min(7).max(3650).default(365),
        /**
         * The longest MQL→SQL lag counted day by day; MQL cohorts younger than this are still converting. Later SQLs
         * are counted as one "later" share. @defaultValue 120
         */
        mqlLagDays: z.number().int().min(1).max(730).default(120),
        /**
         * How far back MQLs are read by age, for the MQLs still open at the as-of date and the recent MQL→SQL
         * conversion; at least `mqlLagDays` sees every MQL that can still convert. @defaultValue 120
         */
        mqlLookBackDays: z.number().int().min(1).max(730).default(120),
      })
      .strict()
      .default({ credibility: 30, maturityDays: 60, windowDays: 365, mqlLagDays: 120, mqlLookBackDays: 120 }),
    intervals: intervalsSchema.default({ levels: [0.5, 0.95] }),
    models: z
      .object({
        /** `auto` picks among {@link AUTO_CANDIDATES} at every refresh. @defaultValue `auto` */
        mqls: z.enum([AUTO_MODEL, ...MQL_MODELS]).default(AUTO_MODEL),
        /** `auto` picks per super-segment among {@link AUTO_CANDIDATES}. @defaultValue `auto` */
        sqls: z.enum([AUTO_MODEL, ...SQL_MODELS]).default(AUTO_MODEL),
      })
      .strict()
      .default({ mqls: AUTO_MODEL, sqls: AUTO_MODEL }),
    schedule: z
      .object({
        /** Cron pattern of the scheduled refresh. @defaultValue `0 6 * * *` (daily 06:00) */
        cron: z.string().min(1).default('0 6 * * *'),
        /** IANA time zone of the cron pattern. @defaultValue `UTC` */
        tz: z.string().min(1).default('UTC'),
      })
      .strict()
      .default({ cron: '0 6 * * *', tz: 'UTC' }),
    training: z
      .object({
        /**
         * Cron pattern of the worker's scheduled `funnelcast train` of each BigQuery target (in `schedule.tz`); a refresh
         * never trains. @defaultValue `0 5 * * 1` (Mondays 05:00)
         */
        cron: z.string().min(1).default('0 5 * * 1'),
        /** ARIMA_PLUS `holiday_region`: whose holidays the MQL model adjusts for (`GLOBAL`, `NA`, `US`, `GB`, …). @defaultValue `US` */
        holidayRegion: z.string().regex(/^[A-Z]{2,6}$/, 'must be a BigQuery ML holiday region code such as US, GB, EMEA or GLOBAL').default('US'),
        /**
         * ARIMA_PLUS `horizon`: the most days `ML.FORECAST` can read from the end of the training data. A refresh reads
         * the days since training plus its own horizon, so this leaves room for a week or more between trainings.
         * @defaultValue 180
         */
        arimaHorizon: z.number().int().min(1).max(10_000).default(180),
        /** ARIMA_PLUS `decompose_time_series`: keep the trend, seasonal and holiday components for `ML.EXPLAIN_FORECAST`. @defaultValue true */
        decomposeTimeSeries: z.boolean().default(true),
        /** Hours a backtest's scratch model (one per origin) lives before BigQuery deletes it. @defaultValue 24 */
        scratchModelHours: z.number().int().min(1).max(720).default(24),
      })
      .strict()
      .default({ cron: '0 5 * * 1', holidayRegion: 'US', arimaHorizon: 180, decomposeTimeSeries: true, scratchModelHours: 24 }),
    queue: z
      .object({
        /** @defaultValue `funnelcast-refresh` */
        name: z.string().min(1).default('funnelcast-refresh'),
        /** Redis key prefix of the queue. @defaultValue `bull` */
        prefix: z.string().min(1).default('bull'),
      })
      .strict()
      .default({ name: 'funnelcast-refresh', prefix: 'bull' }),
    lookml: z
      .object({
        /** Looker connection name. @defaultValue `funnelcast_bigquery` */
        connection: z.string().min(1).default('funnelcast_bigquery'),
        /** BigQuery project holding the views; empty means the connection's default project. */
        project: z.string().regex(/^[a-z][a-z0-9-]{4,29}$/, 'must be a BigQuery project id').optional(),
        /** BigQuery dataset holding the views. @defaultValue `funnelcast` */
        dataset: identifier.default('funnelcast'),
      })
      .strict()
      .default({ connection: 'funnelcast_bigquery', dataset: 'funnelcast' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Own keys only: `constructor` or `toString` would otherwise name Object.prototype's members.
    if (!Object.hasOwn(config.targets, config.defaultTarget)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultTarget'],
        message: `names no target; configured targets: ${Object.keys(config.targets).join(', ') || '(none)'}`,
      });
    }
    if (config.training.arimaHorizon < config.horizon) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'arimaHorizon'],
        message: `is ${config.training.arimaHorizon}, shorter than the forecast horizon (${config.horizon}): ML.FORECAST could not read a whole forecast`,
      });
    }
    if (new Set(config.superSegments).size !== config.superSegments.length) {
      ctx.addIssue({ code: 'custom', path: ['superSegments'], message: 'lists a super-segment twice' });
    }
  });

/** A validated configuration with every default filled in. */
export type FunnelcastConfig = z.output<typeof configSchema>;
/** One warehouse target. */
export type TargetConfig = z.output<typeof targetSchema>;

/** Turns zod issues into problems with dotted paths, e.g. `targets.local.type`. */
export function zodProblems(error: z.ZodError, root = ''): Problem[] {
  return error.issues.map((issue) => {
    const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
    return { where: path || '(root)', message: issue.message };
  });
}

/**
 * Validates a configuration (parsed JSON or YAML) and fills in defaults.
 * @throws ConfigError listing every problem with its key path and what is allowed.
 */
export function parseConfig(input: unknown, origin = 'config'): FunnelcastConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(zodProblems(result.error), `Invalid configuration in ${origin}:`);
  return result.data;
}

/**
 * The target named `name`, or the default target.
 * @throws ConfigError when no target has that name.
 */
export function resolveTarget(config: FunnelcastConfig, name?: string): { name: string; target: TargetConfig } {
  const chosen = name ?? config.defaultTarget;
  const target = Object.hasOwn(config.targets, chosen) ? config.targets[chosen] : undefined;
  if (!target) {
    throw new ConfigError([
      { where: 'target', message: `no target named ${JSON.stringify(chosen)}; configured: ${Object.keys(config.targets).join(', ')}` },
    ]);
  }
  return { name: chosen, target };
}

/**
 * The settings that shape a forecast, in a stable order: two runs with equal hashes at the same as-of date are the
 * same run. Connection details and schedules are left out on purpose — they do not change the numbers.
 */
export function forecastSettings(config: FunnelcastConfig, horizon: number): string {
  return JSON.stringify({
    horizon,
    historyDays: config.historyDays,
    superSegments: [...config.superSegments].sort(),
    mapping: config.mapping,
    conversion: config.conversion,
    intervals: config.intervals,
    models: config.models,
  });
}

/** A short, stable, non-cryptographic hash (FNV-1a, 64-bit, hex) — enough to tell settings apart. */
export function stableHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The `superSegments` line a config file needs to accept exactly these segments, in YAML flow style: plain names
 * bare, any other quoted (`superSegments: [Inbound, Outbound, "Mid-Market"]`), so a message can show the line to add.
 */
export function superSegmentsLine(segments: readonly string[]): string {
  // YAML reads a bare `null` or `true` as a value, not a name; JSON's double quotes are valid YAML.
  const bare = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^(null|true|false|yes|no|on|off|y|n)$/i.test(name);
  const item = (name: string) => (bare(name) ? name : JSON.stringify(name));
  return `superSegments: [${segments.map(item).join(', ')}]`;
}
