/**
 * The shared words of funnelcast. Every package speaks in these terms so that a stage, an interval level or a
 * weight method means the same thing in SQL, TypeScript and LookML.
 */

/** A funnel stage, in the plural form used by the view's column names. */
export type Stage = 'mqls' | 'sqls' | 'sqos';

/** The stages in funnel order. */
export const STAGES: readonly Stage[] = ['mqls', 'sqls', 'sqos'];

/** How text for people names each stage (JSON, SQL and flags keep the plural key, `mqls`). */
export const STAGE_LABELS: Readonly<Record<Stage, string>> = { mqls: 'MQLs', sqls: 'SQLs', sqos: 'SQOs' };

/** Central interval levels published for every forecast value; the view's column suffixes are `_50` and `_95`. */
export const INTERVAL_LEVELS = [0.5, 0.95] as const;

/** One of {@link INTERVAL_LEVELS}. */
export type IntervalLevel = (typeof INTERVAL_LEVELS)[number];

/**
 * The quantile probabilities that back the published bounds, in column order:
 * `lower_95`, `lower_50`, `upper_50`, `upper_95`.
 */
export const BOUND_PROBABILITIES = [0.025, 0.25, 0.75, 0.975] as const;

/**
 * How a mapping row's weight was obtained (design.md, "Mapping and distribution"):
 * - `historical`: the Gross–Sohl proportion of historical averages over the window;
 * - `exposure_adjusted`: the combination started inside the window, so its count was scaled to the full window;
 * - `equal_fallback`: the segment had no SQLs in the window and splits equally;
 * - `forecast_proportions`: the split the funnel-aware forecasts of the combinations give (chosen by backtest).
 */
export type WeightMethod = 'historical' | 'exposure_adjusted' | 'equal_fallback' | 'forecast_proportions';

/** A calendar day as an ISO `YYYY-MM-DD` string (no time, no zone). */
export type IsoDate = string;

/** The fine grain every dashboard wants: `Channel_Grouping_Name × Original_source`. */
export interface Combination {
  readonly channel: string;
  readonly source: string;
}

/** The super-segments of the V3.1 model, used when the config names none. */
export const DEFAULT_SUPER_SEGMENTS: readonly string[] = [
  'Outbound',
  'Inbound_Marketing',
  'Partnerships_Referrals',
  'Other',
];

// A separator that cannot occur in a channel or source name read from CSV or SQL, so keys never collide.
const KEY_SEPARATOR = '\u001f';

/** A stable string key for a combination, for use in maps. */
export function combinationKey(combination: Combination): string {
  return `${combination.channel}${KEY_SEPARATOR}${combination.source}`;
}

/**
 * A stable map key for a super-segment and a {@link combinationKey}; JSON keeps any character of a segment name from
 * colliding with the join.
 */
export function segmentCombinationKey(superSegment: string, combinationKey: string): string {
  return JSON.stringify([superSegment, combinationKey]);
}

/** The inverse of {@link segmentCombinationKey}. */
export function parseSegmentCombinationKey(key: string): { readonly superSegment: string; readonly combinationKey: string } {
  const parsed: unknown = JSON.parse(key);
  if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((part) => typeof part === 'string')) {
    throw new RangeError(`not a segment × combination key: ${JSON.stringify(key)}`);
  }
  return { superSegment: parsed[0] as string, combinationKey: parsed[1] as string };
}

/** The inverse of {@link combinationKey}. */
export function parseCombinationKey(key: string): Combination {
  const at = key.indexOf(KEY_SEPARATOR);
  if (at < 0) throw new RangeError(`not a combination key: ${JSON.stringify(key)}`);
  return { channel: key.slice(0, at), source: key.slice(at + 1) };
}

/** A human-readable label for messages: `Paid Search / google`. */
export function combinationLabel(combination: Combination): string {
  return `${combination.channel} / ${combination.source}`;
}

/*
 * The model names, each declared once here: configuration validates against them, the models package and the
 * warehouses register their forecasters under them, and a forecast's `method` carries them.
 */
/** Embedded: an MSTL weekly shape with an ETS level (the MQL default). */
export const MSTL_ETS = 'mstl-ets';
/** Embedded: the Poisson ridge regressor on the V3.1 features (the SQL default). */
export const V3_RIDGE = 'v3-ridge';
/** Embedded: the same-weekday mean of recent weeks, the baseline every model must beat. */
export const SEASONAL_NAIVE = 'seasonal-naive';
/** Embedded: an automatic ARIMA with a weekly term, V1's method where the warehouse cannot run ARIMA_PLUS. */
export const V1_AUTO_ARIMA = 'v1-auto-arima';
/** In BigQuery: ARIMA_PLUS per series (`ML.FORECAST`). */
export const ARIMA_PLUS = 'arima-plus';
/** In BigQuery: the V3.1 boosted tree (`ML.PREDICT`). */
export const V31_BQML = 'v3.1-bqml';
/** Embedded SQLs: open MQLs by age and forecast MQLs, times conversion, spread by the MQL→SQL lag. */
export const FUNNEL_COHORT = 'funnel-cohort';
/** Not a model: each refresh picks the stage's model (or a blend) by a short backtest on the team's own history. */
export const AUTO_MODEL = 'auto';

/** The longest forecast, in days: every stage, model and command accepts up to this. */
export const MAX_HORIZON = 1000;

/** The forecast days of a refresh that names none. */
export const DEFAULT_HORIZON = 90;
