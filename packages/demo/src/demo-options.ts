import { ConfigError, addDays, compareDates, isIsoDate, toDayNumber, zodProblems, type IsoDate, type Problem } from '@funnelcast/core';
import { z } from 'zod';

/**
 * The demo's funnels: `small` ≈ 6 MQLs and 2 SQLs a day in total (one modest team), `large` ≈ 70 MQLs and 25 SQLs
 * a day (a mid-size revenue org); and two messy ones. `ramp`: 300 days of history, a quiet month, then MQLs four
 * times their earlier level two months before `end`, MQL→SQL conversion rising from half to 1.5× its base as sales
 * ramps up, channels launched recently (one days before `end`). `sparse`: 240 Channel × Source combinations, most
 * under a lead a week, launched and retired throughout the history, beside a few big ones.
 */
export const DEMO_PROFILES = ['small', 'large', 'ramp', 'sparse'] as const;

/** One of {@link DEMO_PROFILES}. */
export type DemoProfile = (typeof DEMO_PROFILES)[number];

/** Days of history before `end` by default (and, for `ramp`, at most: its funnel starts then). */
export const DEMO_HISTORY_DAYS: Readonly<Record<DemoProfile, number>> = { small: 730, large: 730, ramp: 300, sparse: 730 };

/** Options of every demo function. Dates are arguments: nothing reads the clock. */
export interface DemoOptions {
  /**
   * Seed of the realisation. The process (rates, seasonality, channel mix) does not depend on it; only which
   * leads happen does.
   * @defaultValue 42
   */
  readonly seed?: number;
  /**
   * First day with leads.
   * @defaultValue `end` − 730 days (`ramp`: − 300 days, before which it has no leads whatever `start` says)
   */
  readonly start?: IsoDate;
  /**
   * The snapshot date (exclusive): leads are dated before it and stage dates on or after it are not reached yet.
   * The process's story (trend anchor, launched and retired channels) is told relative to this day.
   */
  readonly end: IsoDate;
  /** @defaultValue `'small'` */
  readonly profile?: DemoProfile;
  /**
   * Multiplies every non-sparse channel's MQL rate on top of the profile (sparse channels stay at a few leads a
   * month, so large data sets keep their sparse cells).
   * @defaultValue 1
   */
  readonly scale?: number;
  /**
   * Days past `end` whose true events are kept: leads and stage dates in `[end, end + futureDays)` are generated
   * too, so a benchmark can score a forecast made at `end` against what then happened. The process stays anchored
   * at `end`.
   * @defaultValue 0
   */
  readonly futureDays?: number;
}

/** {@link DemoOptions} with every default applied and checked. */
export interface ResolvedDemoOptions {
  readonly seed: number;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly profile: DemoProfile;
  readonly scale: number;
  readonly futureDays: number;
}

const isoDate = z.string().refine(isIsoDate, { message: 'must be an ISO date (YYYY-MM-DD)' });

const optionsSchema = z.object({
  seed: z.number().int().min(-2147483648).max(4294967295).optional(),
  start: isoDate.optional(),
  end: isoDate,
  profile: z.enum(DEMO_PROFILES).optional(),
  scale: z.number().positive().max(10_000).optional(),
  futureDays: z.number().int().min(0).max(3650).optional(),
});

/** Applies the defaults and validates; throws a ConfigError listing every problem. */
export function resolveDemoOptions(options: DemoOptions): ResolvedDemoOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(zodProblems(parsed.error), 'Invalid demo options:');
  const { end } = parsed.data;
  const profile = parsed.data.profile ?? 'small';
  const start = parsed.data.start ?? addDays(end, -DEMO_HISTORY_DAYS[profile]);
  const problems: Problem[] = [];
  if (compareDates(start, end) >= 0) problems.push({ where: 'start', message: `must be before end (${end})` });
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid demo options:');
  return {
    seed: parsed.data.seed ?? 42,
    start,
    end,
    profile,
    scale: parsed.data.scale ?? 1,
    futureDays: parsed.data.futureDays ?? 0,
  };
}

/** A window `[from, to)` of day numbers, validated; throws a ConfigError naming both bounds' problems. */
export function resolveWindow(from: IsoDate, to: IsoDate): { readonly fromDay: number; readonly toDay: number } {
  const problems: Problem[] = [];
  if (!isIsoDate(from)) problems.push({ where: 'from', message: 'must be an ISO date (YYYY-MM-DD)' });
  if (!isIsoDate(to)) problems.push({ where: 'to', message: 'must be an ISO date (YYYY-MM-DD)' });
  if (problems.length === 0 && compareDates(from, to) >= 0) problems.push({ where: 'to', message: `must be after from (${from})` });
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid demo window:');
  return { fromDay: toDayNumber(from), toDay: toDayNumber(to) };
}
