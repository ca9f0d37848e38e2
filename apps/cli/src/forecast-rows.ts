import {
  combinationKey,
  landings,
  NotFoundError,
  periodLabel,
  type Combination,
  type Landing,
  type LandingPeriod,
  type MappingRow,
  type ProductionRow,
  type Stage,
} from '@funnelcast/core/terms';

/**
 * One row of `funnelcast forecast`, the same in the table, `--csv` and `--json` (there with snake_case keys): core's
 * {@link Landing} of one stage of one Channel × Source (or of their total) over one period, its period named by its
 * label.
 */
export interface ForecastRow extends Omit<Landing, 'period'> {
  /** `2026-10-05`, `2026-W41`, `2026-10` or `2026-Q4`. */
  readonly period: string;
  /** Null on a row summed over every selected combination (`--total`, the refresh summary). */
  readonly channel: string | null;
  readonly source: string | null;
}

/** A landing as a {@link ForecastRow}: of one combination, or of a total when `combination` is null. */
export function landingRow(landing: Landing, combination: Combination | null): ForecastRow {
  const { period, periodStart, partial, stage, ...figures } = landing;
  // Keys in the order JSON and CSV print them: what the row is, then its figures.
  return { period: periodLabel(periodStart, period), periodStart, partial, channel: combination?.channel ?? null, source: combination?.source ?? null, stage, ...figures };
}

/** What `funnelcast forecast` selects; every filter narrows the one before (segment, then channel, then source). */
export interface ForecastFilter {
  /** A super-segment: the combinations its SQLs are shared among (a combination of two segments keeps its whole count). */
  readonly segment?: string;
  readonly channel?: string;
  readonly source?: string;
  readonly stage?: Stage;
  /** One row per period and stage, summed over the selected combinations, instead of one per combination. */
  readonly total?: boolean;
}

const distinct = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * The production rows of the combinations the filter selects.
 * @throws NotFoundError naming the unknown value and the known ones (among what the earlier filters left).
 */
export function selectRows(rows: readonly ProductionRow[], mapping: readonly MappingRow[], filter: ForecastFilter): ProductionRow[] {
  let selected = [...rows];
  let within = '';
  if (filter.segment !== undefined) {
    const segments = distinct(mapping.map((m) => m.super_segment));
    if (!segments.includes(filter.segment)) throw new NotFoundError('super-segment', filter.segment, segments);
    const keys = new Set(mapping.filter((m) => m.super_segment === filter.segment).map((m) => combinationKey({ channel: m.Channel_Grouping_Name, source: m.Original_source })));
    selected = selected.filter((row) => keys.has(combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source })));
    within = ` (of super-segment ${filter.segment})`;
  }
  if (filter.channel !== undefined) {
    const channels = distinct(selected.map((row) => row.Channel_Grouping_Name));
    if (!channels.includes(filter.channel)) throw new NotFoundError(`channel${within}`, filter.channel, channels);
    selected = selected.filter((row) => row.Channel_Grouping_Name === filter.channel);
    within = ` (of channel ${filter.channel}${within ? `, super-segment ${filter.segment}` : ''})`;
  }
  if (filter.source !== undefined) {
    const sources = distinct(selected.map((row) => row.Original_source));
    if (!sources.includes(filter.source)) throw new NotFoundError(`source${within}`, filter.source, sources);
    selected = selected.filter((row) => row.Original_source === filter.source);
  }
  return selected;
}

/**
 * The rows of `funnelcast forecast` from the selected production rows: per period, Channel × Source (sorted by
 * channel, then source; or their total) and stage, in funnel order. Each combination's intervals are those of its own
 * total, by the same rule as every landing.
 */
export function forecastRows(rows: readonly ProductionRow[], by: LandingPeriod, filter: Pick<ForecastFilter, 'stage' | 'total'>): ForecastRow[] {
  const groups = new Map<string, { combination: Combination | null; rows: ProductionRow[] }>();
  for (const row of rows) {
    const combination = filter.total ? null : { channel: row.Channel_Grouping_Name, source: row.Original_source };
    const key = combination ? combinationKey(combination) : '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { combination, rows: [] }));
    group.rows.push(row);
  }
  const byCombination = [...groups.values()].sort((a, b) =>
    (a.combination?.channel ?? '').localeCompare(b.combination?.channel ?? '') || (a.combination?.source ?? '').localeCompare(b.combination?.source ?? ''),
  );
  const out = byCombination.flatMap(({ combination, rows: own }) =>
    landings(own, by)
      .filter((landing) => filter.stage === undefined || landing.stage === filter.stage)
      .map((landing) => landingRow(landing, combination)),
  );
  // Stable: within a period the combinations keep their order, and each its stages'.
  return out.sort((a, b) => (a.periodStart === b.periodStart ? 0 : a.periodStart < b.periodStart ? -1 : 1));
}
